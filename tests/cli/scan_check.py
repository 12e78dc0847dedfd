#!/usr/bin/env python3
"""scan_check.py - checks of `piiscrub scan` output and --report files for
tests/cli/scan.sh and tests/cli/report.sh (python3 is in CI).

  scan_check.py valid FILE            every line is strict UTF-8 and one JSON
                                      object; prints the number of lines
  scan_check.py spans SCAN INPUT      for each finding: the input bytes at
                                      [offset, offset + length), one per line
                                      (\\n and \\r written as \\n, \\r), then
                                      checks that 'line' is the line of offset
  scan_check.py field SCAN KEY        the value of KEY of each finding, one a line
  scan_check.py counts SCAN REPORT    the report's counts equal the scan's
                                      counts per (type, action, field) and in
                                      total; prints "equal" or the difference
  scan_check.py get REPORT PATH...    values of the report (dotted paths), one
                                      line each
Exit status 1 with a message on any failure.
"""
import collections
import json
import sys


def load_lines(path):
    out = []
    with open(path, "rb") as f:
        data = f.read()
    if data and not data.endswith(b"\n"):
        sys.exit(f"{path}: last line has no newline")
    for i, raw in enumerate(data.split(b"\n")[:-1], 1):
        try:
            text = raw.decode("utf-8", errors="strict")
            obj = json.loads(text)
        except (UnicodeDecodeError, ValueError) as e:
            sys.exit(f"{path}:{i}: not valid JSON / UTF-8: {e}")
        if not isinstance(obj, dict):
            sys.exit(f"{path}:{i}: not a JSON object")
        out.append(obj)
    return out


def main():
    cmd = sys.argv[1]
    if cmd == "valid":
        print(len(load_lines(sys.argv[2])))
    elif cmd == "spans":
        found = load_lines(sys.argv[2])
        with open(sys.argv[3], "rb") as f:
            data = f.read()
        for d in found:
            off, n = d["offset"], d["length"]
            span = data[off:off + n]
            line = data[:off].count(b"\n") + 1
            if line != d["line"]:
                sys.exit(f"finding at {off}: line {d['line']}, but the offset is on line {line}")
            sys.stdout.buffer.write(span.replace(b"\n", b"\\n").replace(b"\r", b"\\r") + b"\n")
    elif cmd == "field":
        for d in load_lines(sys.argv[2]):
            v = d.get(sys.argv[3], "<absent>")
            print("null" if v is None else v)
    elif cmd == "counts":
        found = load_lines(sys.argv[2])
        with open(sys.argv[3], "rb") as f:
            rep = json.loads(f.read().decode("utf-8", errors="strict"))
        want = collections.Counter((d["type"], d["action"], d["field"]) for d in found)
        got = collections.Counter()
        for r in rep["counts"]:
            got[(r["type"], r["action"], r["field"])] += r["count"]
        by_type = collections.Counter()
        for (t, _a, _f), c in want.items():
            by_type[t] += c
        if want != got or rep["findings"] != len(found) or dict(by_type) != rep["by_type"]:
            sys.exit(f"scan {dict(want)} ({len(found)}) != report {dict(got)} "
                     f"({rep['findings']}, by_type {rep['by_type']})")
        print("equal")
    elif cmd == "get":
        with open(sys.argv[2], "rb") as f:
            v = json.loads(f.read().decode("utf-8", errors="strict"))
        for path in sys.argv[3:]:
            x = v
            for k in path.split("."):
                x = x[int(k)] if isinstance(x, list) else x[k]
            print(json.dumps(x, sort_keys=True) if isinstance(x, (dict, list)) else
                  ("null" if x is None else x))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
