# harnesses.cmake - the list of libFuzzer harnesses, shared by
# fuzz/CMakeLists.txt (PII_FUZZ builds) and fuzz/replay.cmake (ctest replay).
# Each name N has a source fuzz/N.c and a seed corpus fuzz/corpora/N/.
set(PII_FUZZ_HARNESSES
  fuzz_validators
  fuzz_scanner
  fuzz_stream_chunking
  fuzz_stream_window
  fuzz_patfile
  fuzz_fmt_csv
  fuzz_fmt_jsonl
  fuzz_records
  fuzz_generalize
  fuzz_noise
  fuzz_ff1
  fuzz_policy
  fuzz_parallel
  fuzz_scan_json
  fuzz_stream_resume
)
