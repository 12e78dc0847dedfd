# PkgConfigFile.cmake - install piiscrub.pc for pkg-config.
#
# The file is written at install time, not at configure time, so that its
# prefix is the one installed to: `cmake --install build --prefix DIR` gives
# a piiscrub.pc whose -I and -L name DIR (a configure-time file would name
# CMAKE_INSTALL_PREFIX, /usr/local by default, wherever it was installed).
# DESTDIR is added by file(INSTALL) and not written into the file, as
# packagers expect. tests/embed/embed.sh compiles examples/embed.c with it.
install(CODE "
  set(PII_PC_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(PII_PC_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(PII_PC_VERSION \"${PROJECT_VERSION}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/piiscrub.pc.in\"
                 \"${PROJECT_BINARY_DIR}/pkgconfig-install/piiscrub.pc\" @ONLY)
  file(INSTALL \"${PROJECT_BINARY_DIR}/pkgconfig-install/piiscrub.pc\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\")
")
