# SPDX-License-Identifier: MIT
# Included at the end of the top-level CMakeLists.txt: whenever
# arm-none-eabi-gcc is installed, cross-build the sensor node (firmware/, its
# own CMake project and toolchain file) as an external project. The ELFs land
# in build/bin beside the other programs, the build prints their
# arm-none-eabi-size, and the test firmware_budget fails past the budgets.
find_program(SITEBOARD_ARM_GCC arm-none-eabi-gcc)
find_program(SITEBOARD_ARM_SIZE arm-none-eabi-size)
if(NOT SITEBOARD_ARM_GCC OR NOT SITEBOARD_ARM_SIZE)
  message(STATUS "arm-none-eabi-gcc not found: the sensor node firmware is not built")
  return()
endif()

include(ExternalProject)
set(SITEBOARD_NODE_BIN ${PROJECT_BINARY_DIR}/firmware)
ExternalProject_Add(siteboard_node
  SOURCE_DIR ${PROJECT_SOURCE_DIR}/firmware
  BINARY_DIR ${SITEBOARD_NODE_BIN}
  CMAKE_ARGS
    -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/firmware/cmake/arm-none-eabi.cmake
    -DSBFW_WERROR=${SITEBOARD_WERROR}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ${CMAKE_COMMAND} -E copy
    ${SITEBOARD_NODE_BIN}/siteboard-node.elf ${SITEBOARD_NODE_BIN}/siteboard-node-test.elf
    ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}
  BUILD_BYPRODUCTS ${SITEBOARD_NODE_BIN}/siteboard-node.elf
                   ${SITEBOARD_NODE_BIN}/siteboard-node-test.elf)

if(SITEBOARD_TESTS)
  # flash = text + data, RAM = data + bss (bss includes the stack section)
  add_test(NAME firmware_budget
    COMMAND ${CMAKE_COMMAND} -DSIZE=${SITEBOARD_ARM_SIZE}
            -DELF=${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/siteboard-node.elf
            -DFLASH_MAX=65536 -DRAM_MAX=32768
            -P ${PROJECT_SOURCE_DIR}/firmware/cmake/budget.cmake)
  set_tests_properties(firmware_budget PROPERTIES TIMEOUT 60 LABELS unit)
endif()
