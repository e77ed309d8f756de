# SPDX-License-Identifier: MIT
# Cross-build for 64-bit Raspberry Pi OS (bookworm) on a Debian 12 amd64 host,
# with Debian's cross compiler (crossbuild-essential-arm64) and the arm64 -dev
# packages installed multiarch (dpkg --add-architecture arm64): headers in
# /usr/include, libraries and .pc files in /usr/lib/aarch64-linux-gnu.
# Tests run under qemu-aarch64 user emulation; the emulator finds the arm64
# dynamic loader under -L / (QEMU_LD_PREFIX=/), and the loader finds the
# libraries in the multiarch directory through /etc/ld.so.conf.d.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SITEBOARD_TRIPLET aarch64-linux-gnu)

set(CMAKE_C_COMPILER ${SITEBOARD_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${SITEBOARD_TRIPLET}-g++)

# Multiarch: the same root, the arm64 libraries in their own directory.
set(CMAKE_LIBRARY_ARCHITECTURE ${SITEBOARD_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${SITEBOARD_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(PKG_CONFIG_EXECUTABLE ${SITEBOARD_TRIPLET}-pkg-config CACHE FILEPATH "")

find_program(SITEBOARD_QEMU qemu-aarch64-static qemu-aarch64)
if(SITEBOARD_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SITEBOARD_QEMU} -L /)
endif()
