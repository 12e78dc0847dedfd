#!/usr/bin/env python3
"""roundtrip.py - CSV and JSON Lines made from a text corpus survive piiscrub.

Usage: python3 tests/formats/roundtrip.py BUILD/piiscrub CORPUS.txt

From each corpus line it builds a CSV row (id, text, amount, note) and a
JSON Lines record {"id", "msg": {"text"}, "amount", "tags": [text]}, runs
piiscrub --format auto with a fields policy, and checks with Python's csv
and json modules that:
  - the output has the same number of records and the same columns / keys;
  - untargeted fields (id, note) are unchanged; the `drop` column is empty;
  - the noise field is a number in its clamp with the input's decimals;
  - a record whose text piiscrub leaves alone in text mode comes out
    byte-identical (CSV) or equal as JSON apart from the noise field.
Prints the figures; exits 1 on any failure. Needs only the standard library.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile


def run(binary, args, data):
    p = subprocess.run([binary] + args, input=data, capture_output=True)
    if p.returncode != 0:
        sys.exit("piiscrub %s failed (%d): %s" % (" ".join(args), p.returncode,
                                                  p.stderr.decode(errors="replace")[:500]))
    return p.stdout


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    lines = open(corpus, encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    # lines piiscrub leaves alone as text
    clean = run(binary, ["--format", "text"], ("\n".join(lines) + "\n").encode()).decode()
    untouched = [a == b for a, b in zip(lines, clean.split("\n"))]

    tmp = tempfile.mkdtemp()
    policy = os.path.join(tmp, "p.yaml")
    with open(policy, "w") as f:
        f.write("version: 1\nfields:\n"
                "  id: keep\n"
                "  amount: {action: noise, epsilon: 1, sensitivity: 5, clamp: [0, 1000]}\n"
                "  secret: drop\n"
                "  msg.text: scan\n")
    fails = []

    # CSV: header id,text,amount,note,secret
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["id", "text", "amount", "note", "secret"])
    for i, t in enumerate(lines):
        w.writerow([i, t, "%d.%02d" % (i % 500, i % 100), "n%d" % i, "s%d" % i])
    src = buf.getvalue().encode()
    out = run(binary, ["--format", "auto", "--policy", policy, "--seed", "1"], src)
    rin = list(csv.reader(io.StringIO(src.decode(), newline="")))
    rout = list(csv.reader(io.StringIO(out.decode(), newline="")))
    if len(rin) != len(rout):
        fails.append("csv: %d rows in, %d out" % (len(rin), len(rout)))
    same_bytes = changed_text = 0
    for k, (a, b) in enumerate(zip(rin, rout)):
        if len(a) != len(b):
            fails.append("csv row %d: %d columns in, %d out" % (k, len(a), len(b)))
            continue
        if k == 0:
            if a != b:
                fails.append("csv header changed")
            continue
        if a[0] != b[0] or a[3] != b[3]:
            fails.append("csv row %d: untargeted field changed" % k)
        if b[4] != "":
            fails.append("csv row %d: dropped column not empty" % k)
        amt = b[2]
        if "." not in amt or len(amt.split(".")[1]) != 2 or not 0 <= float(amt) <= 1000:
            fails.append("csv row %d: amount %r" % (k, amt))
        if untouched[k - 1]:
            if a[1] != b[1]:
                fails.append("csv row %d: text changed although text mode leaves it" % k)
        else:
            changed_text += a[1] != b[1]
    nrec = len(rin) - 1

    # JSONL
    recs = [json.dumps({"id": i, "msg": {"text": t}, "amount": i % 500, "tags": [t],
                        "secret": "s"}, ensure_ascii=(i % 2 == 0))
            for i, t in enumerate(lines)]
    src = ("\n".join(recs) + "\n").encode()
    jpolicy = os.path.join(tmp, "j.yaml")
    with open(jpolicy, "w") as f:
        f.write("version: 1\nfields:\n"
                "  id: keep\n"
                "  amount: {action: noise, mechanism: geometric, epsilon: 1, clamp: [0, 1000]}\n"
                "  secret: drop\n")
    out = run(binary, ["--format", "auto", "--policy", jpolicy, "--seed", "2"], src)
    jin = src.decode().split("\n")[:-1]
    jout = out.decode().split("\n")[:-1]
    if len(jin) != len(jout):
        fails.append("jsonl: %d records in, %d out" % (len(jin), len(jout)))
    jsame = 0
    for k, (a, b) in enumerate(zip(jin, jout)):
        da, db = json.loads(a), json.loads(b)
        if set(da) != set(db) or set(da["msg"]) != set(db["msg"]):
            fails.append("jsonl record %d: keys differ" % k)
            continue
        if da["id"] != db["id"] or db["secret"] is not None:
            fails.append("jsonl record %d: id changed or secret not dropped" % k)
        if not isinstance(db["amount"], int) or not 0 <= db["amount"] <= 1000:
            fails.append("jsonl record %d: amount %r" % (k, db["amount"]))
        if untouched[k]:
            if da["msg"] != db["msg"] or da["tags"] != db["tags"]:
                fails.append("jsonl record %d: text changed although text mode leaves it" % k)
            # byte-identical apart from the noise and drop fields
            da["amount"] = db["amount"]
            a2 = a.replace('"amount": %d' % (k % 500), '"amount": %d' % db["amount"], 1)
            a2 = a2.replace('"secret": "s"', '"secret": null', 1)
            jsame += a2 == b
            if a2 != b:
                fails.append("jsonl record %d: not byte-identical outside the targeted fields" % k)

    n_untouched = sum(untouched)
    print("csv: %d records in and out, columns kept; %d texts with findings changed, "
          "%d texts without findings unchanged" % (nrec, changed_text, n_untouched))
    print("jsonl: %d records in and out, keys kept; %d records without findings "
          "byte-identical outside amount/secret" % (len(jin), jsame))
    for f in fails[:20]:
        print("FAIL", f)
    print("%d failures" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
