# InstallDocs.cmake - what `cmake --install` puts beside the binary, the
# header, the libraries and piiscrub.pc (README, "Installing"):
#   share/man/man1/piiscrub.1                    docs/piiscrub.1
#   share/bash-completion/completions/piiscrub   contrib/completion/piiscrub.bash
#   share/zsh/site-functions/_piiscrub           contrib/completion/_piiscrub
#   bin/piiscrub-task                            contrib/cluster/piiscrub-task
#   share/doc/piiscrub/examples/                 examples/policy.yaml, sample.txt, embed.c
install(FILES ${PROJECT_SOURCE_DIR}/docs/piiscrub.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/contrib/completion/piiscrub.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME piiscrub)
install(FILES ${PROJECT_SOURCE_DIR}/contrib/completion/_piiscrub
  DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/contrib/cluster/piiscrub-task
  DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/examples/policy.yaml ${PROJECT_SOURCE_DIR}/examples/sample.txt
  ${PROJECT_SOURCE_DIR}/examples/embed.c DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
