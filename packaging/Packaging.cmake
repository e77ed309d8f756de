# SPDX-License-Identifier: MIT
# Debian packages with CPack (./siteboard package, or cpack -G DEB in a build
# folder): siteboard-server, siteboard-kiosk, siteboard-sensord and
# siteboard-tools. Each daemon package ships its commented default config in
# /etc/siteboard (a conffile), its systemd unit, and maintainer scripts that
# make the "siteboard" system user and /var/lib/siteboard. Library
# dependencies come from dpkg-shlibdeps.
include(GNUInstallDirs)
set(SB_PKG ${PROJECT_SOURCE_DIR}/packaging)
set(SB_UNITDIR /lib/systemd/system)

# name | config file | extra groups | state files removed on purge
set(SB_server_CONF server.ini)
set(SB_server_GROUPS "")
set(SB_server_STATE "server.db server.db-wal server.db-shm server.db-ingest.journal")
set(SB_kiosk_CONF kiosk.ini)
set(SB_kiosk_GROUPS "video render input tty")
set(SB_kiosk_STATE "kiosk-cache.sqlite kiosk-cache.sqlite-wal kiosk-cache.sqlite-shm")
set(SB_sensord_CONF sensord.ini)
set(SB_sensord_GROUPS "gpio audio dialout")
set(SB_sensord_STATE "sensord-queue.db sensord-queue.db-wal sensord-queue.db-shm")

foreach(c server kiosk sensord)
  set(dir ${PROJECT_BINARY_DIR}/debian/${c})
  set(PKG siteboard-${c})
  set(CONF ${SB_${c}_CONF})
  set(GROUPS ${SB_${c}_GROUPS})
  set(STATE ${SB_${c}_STATE})
  foreach(script postinst postrm prerm)
    configure_file(${SB_PKG}/debian/${script}.in ${dir}/${script} @ONLY
                   FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                   GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endforeach()
  if(c STREQUAL server)
    file(WRITE ${dir}/conffiles "/etc/siteboard/${CONF}\n/etc/mosquitto/conf.d/siteboard.conf\n")
  else()
    file(WRITE ${dir}/conffiles "/etc/siteboard/${CONF}\n")
  endif()
  string(TOUPPER ${c} C)
  set(CPACK_DEBIAN_${C}_PACKAGE_CONTROL_EXTRA
      "${dir}/postinst;${dir}/postrm;${dir}/prerm;${dir}/conffiles")
  set(CPACK_DEBIAN_${C}_PACKAGE_NAME siteboard-${c})
  install(FILES ${SB_PKG}/${c}.ini.example DESTINATION /etc/siteboard RENAME ${CONF}
          PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ COMPONENT ${c})
  install(FILES ${SB_PKG}/systemd/siteboard-${c}.service DESTINATION ${SB_UNITDIR}
          COMPONENT ${c})
  install(FILES ${SB_PKG}/${c}.ini.example DESTINATION ${CMAKE_INSTALL_DOCDIR}/../siteboard-${c}
          COMPONENT ${c})
endforeach()
install(FILES ${SB_PKG}/bank-holidays.json DESTINATION share/siteboard COMPONENT server)
# The broker's settings, as a drop-in that Debian's mosquitto.conf includes (a conffile).
install(FILES ${SB_PKG}/mosquitto.conf DESTINATION /etc/mosquitto/conf.d
        RENAME siteboard.conf COMPONENT server)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME siteboard)
set(CPACK_PACKAGE_VENDOR siteboard)
set(CPACK_PACKAGE_CONTACT "siteboard maintainers <siteboard@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Customer-care notice boards and site monitoring")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server kiosk sensord tools)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/siteboard")
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, tzdata")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "mosquitto, sqlite3")
set(CPACK_DEBIAN_SERVER_DESCRIPTION "siteboard site server\n Boards, sensors, breaches and web pages of one works contract; publishes\n each block's board over MQTT and writes the broker's password and ACL files.")
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "adduser, fonts-dejavu-core")
set(CPACK_DEBIAN_KIOSK_DESCRIPTION "siteboard lobby screen\n Shows a block's board on the console (SDL2, KMSDRM), from the broker or\n its cache, with a display schedule and burn-in protection.")
set(CPACK_DEBIAN_SENSORD_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_SENSORD_DESCRIPTION "siteboard sensor gateway\n Door contacts (GPIO), noise (ALSA) and the serial sensor node, queued on\n disk and published to the broker.")
set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME siteboard-tools)
set(CPACK_DEBIAN_TOOLS_DESCRIPTION "siteboard command-line tools\n siteboardctl (client of the site server's API) and siteboard-noise\n (offline noise meter over WAV files).")
include(CPack)
