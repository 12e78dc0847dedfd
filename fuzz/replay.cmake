# fuzz/replay.cmake - replay the fuzz corpora in ctest, without libFuzzer.
#
# Included from the top-level CMakeLists.txt inside its BUILD_TESTING block
# (after enable_testing()). For every harness N in harnesses.cmake it builds
# replay_N from fuzz/N.c + fuzz/regression_driver.c with the normal compiler
# and flags (so gcc + ASan/UBSan under PII_SANITIZE), and adds the test
# fuzz.replay.N, which runs every file in fuzz/corpora/N/ through the
# harness once. A minimized crasher committed there stays a regression test.
include_guard(GLOBAL)
if(NOT BUILD_TESTING)
  return()
endif()

set(PII_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
include(${PII_FUZZ_DIR}/harnesses.cmake)

foreach(h ${PII_FUZZ_HARNESSES})
  add_executable(replay_${h} ${PII_FUZZ_DIR}/${h}.c ${PII_FUZZ_DIR}/regression_driver.c)
  target_include_directories(replay_${h} PRIVATE
    ${PII_FUZZ_DIR} ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(replay_${h} PRIVATE piiscrub_static)
  if(h STREQUAL "fuzz_ff1")
    target_link_libraries(replay_${h} PRIVATE PkgConfig::CRYPTO) # its reference FF1
  endif()
  pii_set_warnings(replay_${h})
  set_target_properties(replay_${h} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz-replay)
  add_test(NAME fuzz.replay.${h} COMMAND replay_${h} ${PII_FUZZ_DIR}/corpora/${h})
  set_tests_properties(fuzz.replay.${h} PROPERTIES LABELS fuzz)
endforeach()
