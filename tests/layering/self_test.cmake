# SPDX-License-Identifier: MIT
# check_layers.py on its fixtures: the bad tree fails with each rule named at
# its file:line, the good tree passes.
execute_process(COMMAND ${PY} ${SCRIPT} --root ${FIXTURES}/bad
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "bad tree: expected exit 1, got ${rc}: ${out}${err}")
endif()
foreach(want
    "server/store/store.h:3: includes server/http/server.h: server/http \\(rank 4\\) is above"
    "include cycle between folders server/hours -> server/rules -> server/hours"
    "server/zzz/new.c: folder not declared"
    "kiosk/src/screen.c:2: includes server/http/server.h: kiosk \\(kiosk\\) may not use server"
    "check_layers: 4 problem")
  if(NOT out MATCHES "${want}")
    message(FATAL_ERROR "bad tree: no line matching '${want}' in:\n${out}")
  endif()
endforeach()
execute_process(COMMAND ${PY} ${SCRIPT} --root ${FIXTURES}/good
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "good tree: expected exit 0, got ${rc}: ${out}${err}")
endif()
