# InstallDocs.cmake - what `cmake --install` puts beside the binary and the
# library: the man page, the shell completions and the examples.
#   share/man/man1/piiscrub.1                      docs/piiscrub.1
#   share/doc/piiscrub/examples/                   examples/policy.yaml, sample.txt, embed.c
install(FILES ${PROJECT_SOURCE_DIR}/docs/piiscrub.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/examples/policy.yaml ${PROJECT_SOURCE_DIR}/examples/sample.txt
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
#   share/bash-completion/completions/piiscrub     contrib/completion/piiscrub.bash
#   share/zsh/site-functions/_piiscrub             contrib/completion/_piiscrub
install(FILES ${PROJECT_SOURCE_DIR}/contrib/completion/piiscrub.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME piiscrub)
install(FILES ${PROJECT_SOURCE_DIR}/contrib/completion/_piiscrub
  DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES ${PROJECT_SOURCE_DIR}/examples/embed.c DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
