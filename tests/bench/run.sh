#!/usr/bin/env bash
# run.sh - throughput of piiscrub next to cat, ripgrep and a perl baseline.
#
#   tests/bench/run.sh [--size MB] [--runs N] [--bin PATH] [--out DIR]
#                      [--seed N] [--data-dir DIR] [--clean]
#
# Generates (or reuses) a sparse (~3 % PII lines) and a dense (~50 %) log file
# of --size MB (10^6 bytes) with gen_logs.py, then times every tool on each
# file, interleaved round-robin, --runs times (default 5), and prints the
# median MB/s, min/max, peak RSS and the ratios to rg, perl and cat|cat.
# See tests/bench/README.md for what is measured and how to read it.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME with a '.', byte semantics everywhere

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

SIZE=100
RUNS=5
BIN=""
OUT=""
SEED=1
DATA_DIR="${TMPDIR:-/tmp}/piiscrub-bench"
CLEAN=0

usage() {
    cat <<EOF
Usage: tests/bench/run.sh [--size MB] [--runs N] [--bin PATH] [--out DIR]
                          [--seed N] [--data-dir DIR] [--clean]

  --size MB       size of each generated file in MB of 10^6 bytes (default $SIZE)
  --runs N        timed runs per tool and file, interleaved (default $RUNS; use >= 5
                  for numbers you quote)
  --bin PATH      the piiscrub binary (default: build/piiscrub, else piiscrub on PATH)
  --out DIR       also write bench.tsv (the table), runs.tsv (every run), the
                  generator summaries and env.txt to DIR
  --seed N        generator seed (default $SEED)
  --data-dir DIR  where generated files are cached (default \$TMPDIR/piiscrub-bench)
  --clean         delete this run's generated files at the end
EOF
}

die() {
    echo "run.sh: $*" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --size) SIZE=${2:?--size needs a value}; shift 2 ;;
    --size=*) SIZE=${1#*=}; shift ;;
    --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
    --runs=*) RUNS=${1#*=}; shift ;;
    --bin) BIN=${2:?--bin needs a value}; shift 2 ;;
    --bin=*) BIN=${1#*=}; shift ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    --out=*) OUT=${1#*=}; shift ;;
    --seed) SEED=${2:?--seed needs a value}; shift 2 ;;
    --seed=*) SEED=${1#*=}; shift ;;
    --data-dir) DATA_DIR=${2:?--data-dir needs a value}; shift 2 ;;
    --data-dir=*) DATA_DIR=${1#*=}; shift ;;
    --clean) CLEAN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
    esac
done

[[ $SIZE =~ ^[1-9][0-9]*$ ]] || die "--size must be a positive whole number of MB"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive whole number"
[[ $SEED =~ ^[0-9]+$ ]] || die "--seed must be a whole number"

# ---- tools ---------------------------------------------------------------
need() { command -v "$1" >/dev/null 2>&1; }
need python3 || die "python3 is missing (it runs the generator gen_logs.py)"
need perl || die "perl is missing (the perl baseline); on Debian: apt-get install perl"
need rg || die "rg (ripgrep) is missing (the regex baseline); on Debian: apt-get install ripgrep"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (peak RSS); on Debian: apt-get install time"
[[ ${EPOCHREALTIME:-} == *.* ]] || die "bash 5 or later is needed (EPOCHREALTIME)"

if [ -z "$BIN" ]; then
    if [ -x "$ROOT/build/piiscrub" ]; then
        BIN=$ROOT/build/piiscrub
    elif need piiscrub; then
        BIN=$(command -v piiscrub)
    else
        die "no piiscrub binary: build it (cmake --preset release &&" \
            "cmake --build build) or pass --bin"
    fi
fi
[ -x "$BIN" ] || die "--bin $BIN is not an executable"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/piiscrub-bench-run.XXXXXX")
GENERATED=()
cleanup() {
    rm -rf "$WORK"
    if [ "$CLEAN" = 1 ] && [ ${#GENERATED[@]} -gt 0 ]; then
        rm -f "${GENERATED[@]}"
        rmdir "$DATA_DIR" 2>/dev/null || true
    fi
}
trap cleanup EXIT

# Threads: the -jN rows exist only if piiscrub --help mentions them.
HELP=$("$BIN" --help 2>&1 || true)
JFLAG=""
if grep -q -- '--threads' <<<"$HELP"; then
    JFLAG="--threads="
elif grep -qE '(^|[[:space:],])-j([^[:alpha:]]|$)' <<<"$HELP"; then
    JFLAG="-j"
fi
NPROC=$(nproc)
if [ -z "$JFLAG" ]; then
    LEVELS=("")
    JNOTE="piiscrub --help mentions no --threads/-j: single-threaded rows only"
elif [ "$NPROC" -gt 1 ]; then
    LEVELS=(1 "$NPROC")
    JNOTE="threads: ${JFLAG}1 and ${JFLAG}$NPROC (nproc)"
else
    LEVELS=(1)
    JNOTE="threads: nproc is 1, so no -jN rows"
fi

# A key for token and fpe, and the types that have an fpe style (all=fpe is
# refused because some types have none; every other type keeps mask).
"$BIN" keygen -o "$WORK/key" >/dev/null 2>&1 || die "$BIN keygen -o FILE failed"
FPE_ARGS=()
FPE_TYPES=()
while IFS=$'\t' read -r type _; do
    [ "$type" = TYPE ] && continue
    if "$BIN" --key-file "$WORK/key" --action "$type=fpe" </dev/null >/dev/null 2>&1; then
        FPE_ARGS+=(--action "$type=fpe")
        FPE_TYPES+=("$type")
    fi
done < <("$BIN" entities --tsv)

# The ripgrep baseline: the shapes of piiscrub's digit, e-mail and IPv4
# detectors (patterns/builtin/{cn_id,bank_card,cn_mobile,email,ipv4}.pat),
# no validation. (?-u:\b) is an ASCII word boundary, so digits glued to
# Chinese text still match, as in piiscrub.
B='(?-u:\b)'
RG_ID='\d{17}[\dXx]|\d{6}[ -]\d{8}[ -]\d{3}[\dXx]'
RG_CARD='\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,4})?|\d{6}[ -]\d{7,13}'
RG_MOBILE='(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:\d{8}|[ -]\d{4}[ -]\d{4}|[ -]\d{8}|\d{4}[ -]\d{4})'
RG_EMAIL='[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,63}'
RG_IPV4='(?:\d{1,3}\.){3}\d{1,3}'
RG_RE="$B(?:$RG_ID|$RG_CARD|$RG_MOBILE)$B|$RG_EMAIL|$B$RG_IPV4$B"

# Per-CPU calibration: on a VM the vCPUs need not be equally fast (another
# tenant may share a core), and -jN can at most reach the sum of what each
# CPU does alone. With -jN rows and taskset, 'piiscrub mask -j1' also runs
# pinned to each CPU this shell may use, and the scaling lines after the
# table compare -jN with that sum.
PIN_CPUS=()
if [ ${#LEVELS[@]} -gt 1 ] && need taskset; then
    read -r -a PIN_CPUS < <(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)))')
fi

# Tool ids: cat, catcat, rg, perl, ps:MODE:THREADS:INPUT[:CPU].
TOOLS=(cat catcat rg perl)
for j in "${LEVELS[@]}"; do
    TOOLS+=("ps:mask:$j:file" "ps:mask:$j:stdin" "ps:token:$j:file")
    [ ${#FPE_ARGS[@]} -gt 0 ] && TOOLS+=("ps:fpe:$j:file")
done
for c in "${PIN_CPUS[@]}"; do
    TOOLS+=("ps:mask:1:file:$c")
done

tool_name() {
    case $1 in
    cat) echo "cat" ;;
    catcat) echo "cat | cat" ;;
    rg) echo "rg --passthru -r" ;;
    perl) echo "perl redact.pl" ;;
    ps:*)
        local mode j input cpu
        IFS=: read -r _ mode j input cpu <<<"$1"
        echo "piiscrub $mode${j:+ -j$j}$([ "$input" = stdin ] && echo ' <stdin')${cpu:+ @cpu$cpu}"
        ;;
    esac
}

# Run tool $1 on file $2 with stdout to $3. Sets RUN_US (wall microseconds)
# and RUN_KIB (peak RSS); returns the tool's exit status.
run_one() {
    local tool=$1 file=$2 sink=$3 rc=0 t0 t1
    local -a cmd
    case $tool in
    cat) cmd=(cat "$file") ;;
    catcat) cmd=(sh -c "cat \"\$1\" | cat" sh "$file") ;;
    rg) cmd=(rg --no-config --passthru -N --color never -r '***' -e "$RG_RE" "$file") ;;
    perl) cmd=(perl "$HERE/redact.pl") ;;
    ps:*)
        local mode j input cpu
        IFS=: read -r _ mode j input cpu <<<"$tool"
        cmd=("$BIN")
        [ -n "$cpu" ] && cmd=(taskset -c "$cpu" "$BIN")
        [ -n "$j" ] && cmd+=("$JFLAG$j")
        case $mode in
        token) cmd+=(--key-file "$WORK/key" --action all=token) ;;
        fpe) cmd+=(--key-file "$WORK/key" "${FPE_ARGS[@]}") ;;
        esac
        [ "$input" = file ] && cmd+=("$file")
        ;;
    esac
    t0=$EPOCHREALTIME
    /usr/bin/time -o "$WORK/rss" -f '%M' "${cmd[@]}" <"$file" >"$sink" 2>"$WORK/stderr" || rc=$?
    t1=$EPOCHREALTIME
    RUN_US=$((${t1/./} - ${t0/./}))
    RUN_KIB=$(tail -n 1 "$WORK/rss")
    # rg exits 1 when nothing matched; that is not an error here
    if [ "$tool" = rg ] && [ "$rc" = 1 ]; then
        rc=0
    fi
    return "$rc"
}

fail_run() {
    echo "run.sh: '$(tool_name "$1")' failed on $2 (exit $3):" >&2
    sed 's/^/  /' "$WORK/stderr" >&2
    exit 1
}

# ---- data ------------------------------------------------------------------
mkdir -p "$DATA_DIR"
GENSUM=$(cksum <"$HERE/gen_logs.py" | cut -d' ' -f1)
FILES=()
declare -A LINES=()
for density in sparse dense; do
    f="$DATA_DIR/logs-g$GENSUM-s$SEED-${SIZE}MB-$density.txt"
    if [ ! -s "$f" ] || [ ! -s "$f.gen" ]; then
        echo "generating $f ..." >&2
        python3 "$HERE/gen_logs.py" --size "$((SIZE * 1000000))" --density "$density" \
            --seed "$SEED" -o "$f.tmp" 2>"$f.gen.tmp" || {
            cat "$f.gen.tmp" >&2
            die "gen_logs.py failed"
        }
        mv "$f.gen.tmp" "$f.gen"
        mv "$f.tmp" "$f"
    fi
    GENERATED+=("$f" "$f.gen")
    FILES+=("$f")
    LINES[$f]=$(wc -l <"$f")
done

# ---- environment -------------------------------------------------------------
{
    echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "piiscrub: $BIN ($("$BIN" --version 2>&1 | head -n 1))"
    echo "rg:       $(rg --version 2>/dev/null | head -n 1)"
    echo "perl:     $(perl -e 'printf "perl %vd", $^V')"
    cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
    echo "cpu:      ${cpu:-unknown}, nproc $NPROC"
    echo "load:     $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
    echo "$JNOTE"
    if [ ${#FPE_TYPES[@]} -gt 0 ]; then
        echo "fpe rows: --action TYPE=fpe for ${FPE_TYPES[*]} (other types: mask)"
    else
        echo "fpe rows: skipped, no type accepts --action TYPE=fpe"
    fi
    for f in "${FILES[@]}"; do
        echo "file:     $f ($(stat -c %s "$f") bytes, ${LINES[$f]} lines)"
        sed 's/^/          /' "$f.gen"
    done
} >"$WORK/env.txt"
cat "$WORK/env.txt"
echo

# ---- check and warm up ---------------------------------------------------------
# One untimed run per tool and file: it must succeed and write one output line
# per input line (so a tool that stops early or fails cannot post a speed).
echo "checking every tool once (untimed) ..." >&2
for f in "${FILES[@]}"; do
    for t in "${TOOLS[@]}"; do
        run_one "$t" "$f" "$WORK/out" || fail_run "$t" "$f" $?
        n=$(wc -l <"$WORK/out")
        if [ "$n" != "${LINES[$f]}" ]; then
            echo "run.sh: '$(tool_name "$t")' wrote $n lines for ${LINES[$f]} input lines" >&2
            exit 1
        fi
    done
done
rm -f "$WORK/out"

# ---- timed runs, interleaved -----------------------------------------------------
printf 'file\ttool\trun\tbytes\tseconds\trss_kib\n' >"$WORK/runs.tsv"
for f in "${FILES[@]}"; do
    bytes=$(stat -c %s "$f")
    label=$(basename "$f" .txt)
    label=${label##*-}
    for ((r = 1; r <= RUNS; r++)); do
        echo "$label: round $r/$RUNS" >&2
        for t in "${TOOLS[@]}"; do
            run_one "$t" "$f" /dev/null || fail_run "$t" "$f" $?
            printf '%s\t%s\t%d\t%d\t%d.%06d\t%s\n' "$label" "$(tool_name "$t")" "$r" "$bytes" \
                $((RUN_US / 1000000)) $((RUN_US % 1000000)) "$RUN_KIB" >>"$WORK/runs.tsv"
        done
    done
done

# ---- table ---------------------------------------------------------------------------
python3 - "$WORK/runs.tsv" "$WORK/bench.tsv" <<'EOF'
import statistics, sys
runs, tsv = sys.argv[1], sys.argv[2]
rows = [l.rstrip("\n").split("\t") for l in open(runs)][1:]
order, data = [], {}
for f, tool, _, nbytes, sec, rss in rows:
    k = (f, tool)
    if k not in data:
        order.append(k)
        data[k] = {"bytes": int(nbytes), "mbs": [], "rss": 0}
    data[k]["mbs"].append(int(nbytes) / 1e6 / max(float(sec), 1e-6))
    data[k]["rss"] = max(data[k]["rss"], int(rss or 0))
def med(f, tool):
    d = data.get((f, tool))
    return statistics.median(d["mbs"]) if d else None
hdr = ["file", "tool", "MB/s", "min", "max", "RSS MiB", "x rg", "x perl", "x cat|cat", "runs"]
out = [hdr]
for f, tool in order:
    d = data[(f, tool)]
    m = statistics.median(d["mbs"])
    def ratio(base):
        b = med(f, base)
        return "%.2f" % (m / b) if b else "-"
    out.append([f, tool, "%.1f" % m, "%.1f" % min(d["mbs"]), "%.1f" % max(d["mbs"]),
                "%.1f" % (d["rss"] / 1024.0), ratio("rg --passthru -r"), ratio("perl redact.pl"),
                ratio("cat | cat"), str(len(d["mbs"]))])
with open(tsv, "w") as t:
    for r in out:
        t.write("\t".join(r) + "\n")
w = [max(len(r[i]) for r in out) for i in range(len(hdr))]
for n, r in enumerate(out):
    if n > 1 and r[0] != out[n - 1][0]:
        print()
    print("  ".join(c.ljust(w[i]) if i < 2 else c.rjust(w[i]) for i, c in enumerate(r)))

# Scaling: -jN against -j1, and against the sum of the pinned -j1 rows (what
# N threads could reach at most on these CPUs as they ran in this run).
files = []
for f, _ in order:
    if f not in files:
        files.append(f)
lines = []
for f in files:
    tools = [t for g, t in order if g == f]
    jn = [t for t in tools if t.startswith("piiscrub mask -j") and t != "piiscrub mask -j1"
          and "<stdin" not in t and "@cpu" not in t]
    one = med(f, "piiscrub mask -j1")
    pinned = [(t, med(f, t)) for t in tools if t.startswith("piiscrub mask -j1 @cpu")]
    if not jn or not one:
        continue
    j = jn[0].split()[-1]
    n = med(f, jn[0])
    line = "%s: %s / -j1 = %.2f" % (f, j, n / one)
    if pinned:
        cap = sum(v for _, v in pinned)
        line += "; -j1 pinned: %s MB/s (sum %.1f, %.2f x the fastest); %s = %.0f%% of the sum" % (
            ", ".join("%s %.1f" % (t.split("@")[1], v) for t, v in pinned), cap,
            cap / max(v for _, v in pinned), j, 100 * n / cap)
    lines.append(line)
if lines:
    print()
    print("scaling:")
    for l in lines:
        print("  " + l)
EOF
echo
echo "MB = 10^6 bytes of input; MB/s is the median over the runs, min/max the slowest and"
echo "fastest run; RSS is the largest peak over the runs; x rg, x perl, x cat|cat = median"
echo "MB/s divided by that baseline's median MB/s on the same file (above 1 = faster)."
if [ ${#PIN_CPUS[@]} -gt 0 ]; then
    echo "@cpuK rows: -j1 pinned to CPU K with taskset. The vCPUs of a VM can differ in speed,"
    echo "and -jN can at most reach the sum of the pinned rows: 'scaling' shows how near it came."
fi

if [ -n "$OUT" ]; then
    mkdir -p "$OUT"
    cp "$WORK/bench.tsv" "$WORK/runs.tsv" "$WORK/env.txt" "$OUT/"
    for f in "${FILES[@]}"; do
        label=$(basename "$f" .txt)
        cp "$f.gen" "$OUT/gen-${label##*-}.txt"
    done
    echo "wrote $OUT/bench.tsv, runs.tsv, env.txt and the generator summaries"
fi
