/*
 * fuzz_stream_window.c - fuzz_stream_chunking.c in window mode: the fuzzed
 * text sits behind about one PII_WINDOW_SIZE of filler, across the point
 * where stream.c cuts the first window of a long record. See the overview
 * in fuzz_stream_chunking.c.
 */
#define FUZZ_STREAM_WINDOW 1
#include "fuzz_stream_chunking.c"
