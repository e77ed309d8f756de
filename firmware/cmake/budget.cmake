# SPDX-License-Identifier: MIT
# cmake -DSIZE=arm-none-eabi-size -DELF=x.elf -DFLASH_MAX=N -DRAM_MAX=N -P budget.cmake
# Fails when flash (text + data) or RAM (data + bss, the stack being a
# NOLOAD section counted in bss) reaches its budget.
execute_process(COMMAND ${SIZE} -B ${ELF} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${SIZE} ${ELF} failed (${rc})")
endif()
string(REGEX MATCH "\n[ \t]*([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+)" row "${out}")
if(NOT row)
  message(FATAL_ERROR "cannot read the output of ${SIZE}:\n${out}")
endif()
math(EXPR flash "${CMAKE_MATCH_1} + ${CMAKE_MATCH_2}")
math(EXPR ram "${CMAKE_MATCH_2} + ${CMAKE_MATCH_3}")
message("${out}")
message("flash ${flash} of ${FLASH_MAX} bytes, RAM ${ram} of ${RAM_MAX} bytes")
if(flash GREATER_EQUAL FLASH_MAX OR ram GREATER_EQUAL RAM_MAX)
  message(FATAL_ERROR "over budget")
endif()
