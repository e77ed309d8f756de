# SPDX-License-Identifier: MIT
# Runs function_length.py on its fixture: it must fail, name too_long with its
# length and line, and not name just_fits.
execute_process(COMMAND ${PY} ${SCRIPT} --max 120 ${FIXTURES}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "expected exit 1, got ${rc}: ${out}${err}")
endif()
if(NOT out MATCHES "long_function.c:4: too_long: 121 lines")
  message(FATAL_ERROR "too_long not reported: ${out}")
endif()
if(out MATCHES "just_fits")
  message(FATAL_ERROR "just_fits (120 lines) reported: ${out}")
endif()
