#!/usr/bin/env bash
# window.sh - records longer than the 1 MiB window. A line with no newline
# is processed in windows of 1 MiB (1048576 bytes) with look-ahead and
# look-behind; an entity that straddles any window edge must still be found
# whole, every other byte must come through unchanged, and a digit run that
# crosses an edge must not be cut into a phone/ID/card.
. "$(dirname "$0")/lib.sh"
need_cmd perl

MIB=1048576
LEN=$((3 * MIB)) # ~3 MiB line, no newline: edges at 1 MiB and 2 MiB

cat >"$TMP/gen.pl" <<'EOF'
use strict; use warnings;
binmode STDOUT;
my $FW = sub { join '', map { "\xef\xbc" . chr(0x90 + $_) } map { split // } @_ };
# [input, default mask, redact label, name]
my @E = (
  ['13812345678', '138****5678', '[CN_MOBILE]', 'cn_mobile'],
  ['11010519491231002X', '110***********002X', '[CN_ID]', 'cn_id'],
  ['4242 4242 4242 4242', '4242 42** **** 4242', '[BANK_CARD]', 'bank_card'],
  ['zhang.san@example.com', 'z********@example.com', '[EMAIL]', 'email'],
  ['121.249.194.98', '121.249.*.*', '[IPV4]', 'ipv4'],
  [$FW->('13812345678'), $FW->('138') . '****' . $FW->('5678'), '[CN_MOBILE]', 'cn_mobile(full-width)'],
);
my $FILL = 'The quick brown fox jumps over the lazy dog, ';
sub filler { my $n = shift; substr($FILL x (int($n / length $FILL) + 1), 0, $n) }
sub out { my ($path, $data) = @_; open(my $f, '>', $path) or die "$path: $!"; binmode $f; print $f $data; close $f or die "$path: $!" }

# Run piiscrub on $data (through files: cheaper than pipes for the
# hundred-odd runs done here); returns (exit status, stdout, stderr).
my $T = $ENV{PII_TMP} // die 'PII_TMP not set';
my $OUT = '';
# Read file P into the reused buffer $OUT (page faults from fresh 3 MiB
# allocations are a large part of the cost in some sandboxes).
sub slurp {
  my $p = shift;
  open(my $f, '<', $p) or die "$p: $!"; binmode $f;
  $OUT = ''; 1 while sysread($f, $OUT, 1 << 22, length $OUT);
  close $f; return $OUT;
}
sub run_bin {
  my ($bin, $data) = @_;
  out("$T/h.in", $data);
  my $pid = fork // die "fork: $!";
  if ($pid == 0) {
    open(STDIN, '<', "$T/h.in") && open(STDOUT, '>', "$T/h.out") && open(STDERR, '>', "$T/h.err")
      or die "redirect: $!";
    exec($bin) or die "exec $bin: $!";
  }
  # a hang fails the case instead of stalling the suite
  my $limit = $ENV{PII_TIMEOUT} // 120;
  local $SIG{ALRM} = sub { kill 'KILL', $pid };
  alarm $limit; waitpid($pid, 0); my $st = $?; alarm 0;
  my $rc = ($st & 127) ? 128 + ($st & 127) : $st >> 8;
  my $e = slurp("$T/h.err");
  slurp("$T/h.out");
  unlink "$T/h.in", "$T/h.out", "$T/h.err";
  return ($rc, $e);
}
sub first_diff {
  my ($a, $b) = @_;
  my $n = length($a) < length($b) ? length($a) : length($b);
  my $x = substr($a, 0, $n) ^ substr($b, 0, $n);
  return $x =~ /[^\x00]/ ? $-[0] : $n;
}
# Report for one case: '' when fine, else a one-line description.
sub check_case {
  my ($bin, $in, $exp) = @_;
  my ($rc, $err) = run_bin($bin, $in);
  my $out = \$OUT;
  return "exit $rc, stderr: " . substr($err, 0, 200) if $rc != 0;
  return 'stderr: ' . substr($err, 0, 200) if $err ne '';
  return '' if $$out eq $exp;
  my $i = first_diff($exp, $$out);
  my $ctx = sub { my $v = substr($_[0], $i > 20 ? $i - 20 : 0, 50); $v =~ s/([^ -~])/sprintf('\\x%02x', ord $1)/ge; $v };
  return sprintf('output %d bytes (want %d), first difference at byte %d: want "%s" got "%s"',
                 length($$out), length($exp), $i, $ctx->($exp), $ctx->($$out));
}

my $mode = shift;
if ($mode eq 'boundary') {
  # For each offset D in DLO..DHI and each pair I:J of entity types: type I
  # with its middle at EDGE1+D and type J with its middle at EDGE2+D
  # (swapped for odd D, so each type meets each edge), each surrounded by
  # one space, filler elsewhere. Prints one line per failing case.
  my ($bin, $len, $dlo, $dhi, $edge1, $edge2, @pairs) = @ARGV;
  my $base = filler($len);
  my ($s, $x) = ($base, $base); # edited in place and restored per case
  for my $d ($dlo .. $dhi) {
    for my $pair (@pairs) {
      my @t = split /:/, $pair;
      @t = reverse @t if $d % 2;
      my (@desc, @undo);
      # insert at the later edge first so the earlier offset stays valid
      for my $k (1, 0) {
        my ($e, $m, undef, $name) = @{$E[$t[$k]]};
        my $start = ($k ? $edge2 : $edge1) + $d - int(length($e) / 2);
        my $n = length($e) + 2;
        unshift @undo, [$start - 1, $n, length($m) + 2];
        substr($s, $start - 1, $n) = " $e ";
        substr($x, $start - 1, $n) = " $m ";
        unshift @desc, "$name at " . ($k ? $edge2 : $edge1) . ($d < 0 ? $d : "+$d");
      }
      my $r = check_case($bin, $s, $x);
      print join(', ', @desc), ": $r\n" if $r ne '';
      for my $u (@undo) { # earlier edge first: its mask may differ in length
        my ($o, $n, $nm) = @$u;
        substr($s, $o, $n) = substr($base, $o, $n);
        substr($x, $o, $nm) = substr($base, $o, $n);
      }
      die 'restore failed' unless $s eq $base && $x eq $base;
    }
  }
} elsif ($mode eq 'edgerun') {
  # For each run length N and offset D: one digit run of N digits centred
  # on EDGE+D for each EDGE; the output must equal the input.
  my ($bin, $len, $ns, $ds, @edges) = @ARGV;
  my $base = filler($len);
  my $s = $base;
  for my $n (split /,/, $ns) {
    for my $d (split /,/, $ds) {
      substr($s, 0) = $base;
      my $run = substr('13812345678' x (int($n / 11) + 1), 0, $n);
      for my $edge (@edges) {
        my $start = $edge + $d - int($n / 2);
        substr($s, $start - 1, $n + 2) = " $run ";
      }
      my $r = check_case($bin, $s, $s);
      print "run of $n digits centred at edge$d: $r\n" if $r ne '';
    }
  }
} elsif ($mode eq 'dense') {
  # entities of every type back to back with gaps of varying length, so
  # that every alignment of entity and window edge occurs; VARIANT 'cjk'
  # adds multi-byte and invalid bytes to the gaps (edges land inside
  # characters).
  my ($variant, $len, $in, $mask, $red) = @ARGV;
  my ($a, $b, $c) = ('', '', '');
  for (my $k = 0; length($a) < $len; $k++) {
    my $e = $E[$k % @E];
    my $g = ' ' . ('~' x ($k % 17)) . ' ';
    $g = ' ' . ("\xe4\xb8\xad" x ($k % 5)) . ("\xff" x ($k % 3)) . ('.' x ($k % 2)) . ' ' if $variant eq 'cjk';
    $a .= $e->[0] . $g; $b .= $e->[1] . $g; $c .= $e->[2] . $g;
  }
  out($in, $a); out($mask, $b); out($red, $c);
} elsif ($mode eq 'runs') {
  # long digit runs (every 11-digit slice of "13812345678" repeated is a
  # valid mobile number) of many lengths, separated by short non-digit gaps
  my ($len, $in) = @ARGV;
  my @L = (12, 20, 25, 40, 100, 255, 256, 257, 300, 700, 1023, 1024, 1025, 1100, 2000, 5000, 70000);
  my $s = '';
  for (my $k = 0; length($s) < $len; $k++) {
    my $n = $L[$k % @L];
    $s .= substr('13812345678' x (int($n / 11) + 1), 0, $n) . ' ' . ('~' x ($k % 13)) . ' ';
  }
  out($in, $s);
} elsif ($mode eq 'fwruns') {
  # the same with full-width digits (3 bytes each: edges cut characters)
  my ($len, $in) = @ARGV;
  my @L = (12, 30, 90, 100, 341, 342, 343, 1000, 30000);
  my $s = '';
  for (my $k = 0; length($s) < $len; $k++) {
    my $n = $L[$k % @L];
    $s .= $FW->(substr('13812345678' x (int($n / 11) + 1), 0, $n)) . ' ' . ('~' x ($k % 7)) . ' ';
  }
  out($in, $s);
} elsif ($mode eq 'ends') {
  # entities at the very first and the very last byte of a long line
  my ($len, $in, $exp) = @ARGV;
  my ($e, $m) = @{$E[0]};
  my $f = filler($len);
  out($in, "$e $f $e"); out($exp, "$m $f $m");
} else { die "mode $mode" }
EOF

gen() { PII_TMP=$TMP perl "$TMP/gen.pl" "$@" || { fail "test data generator failed: $*"; return 1; }; }

# ---- every type at the 1 MiB and 2 MiB edges, offsets -12..+12 ---------------
# 25 offsets x 3 pairs of types = 75 runs of 3 MiB; each of the six types
# straddles each edge at every other offset.
if gen boundary "$BIN" "$LEN" -12 12 "$MIB" $((2 * MIB)) 0:1 2:3 4:5 >"$TMP/bad"; then
    if [ ! -s "$TMP/bad" ]; then
        pass "all 6 types straddling 1 MiB and 2 MiB at offsets -12..+12 (75 runs): masked, rest unchanged"
    else
        mapfile -t bad <"$TMP/bad"
        fail "entities straddling 1 MiB / 2 MiB: ${#bad[@]} of 75 runs wrong" "${bad[@]}"
    fi
fi

# ---- dense entities: every alignment with every (internal) window edge ----------
for variant in ascii cjk; do
    gen dense "$variant" $((LEN + 5000)) "$TMP/d.in" "$TMP/d.mask" "$TMP/d.red"
    run_pii "$TMP/d.in" "$TMP/d.out" "$TMP/d.err"
    expect_rc "dense $variant line (3 MiB, no newline): exit 0" 0 "$RC"
    expect_eq "dense $variant line: every entity masked, gaps unchanged" "$TMP/d.mask" "$TMP/d.out"
    # shellcheck disable=SC2002 # a pipe on purpose: reads of other sizes
    cat "$TMP/d.in" | timeout -k 5 "$PII_TIMEOUT" "$BIN" >"$TMP/d.out" 2>"$TMP/d.err"
    expect_rc "dense $variant line via a pipe: exit 0" 0 "${PIPESTATUS[1]}"
    expect_eq "dense $variant line via a pipe: same output" "$TMP/d.mask" "$TMP/d.out"
    run_pii "$TMP/d.in" "$TMP/d.out" "$TMP/d.err" --action all=redact
    expect_eq "dense $variant line, all=redact: every entity labelled" "$TMP/d.red" "$TMP/d.out"
    run_pii "$TMP/d.in" "$TMP/d.out" "$TMP/d.err" --action all=keep
    expect_eq "dense $variant line, all=keep: identical" "$TMP/d.in" "$TMP/d.out"
done
rm -f "$TMP"/d.*

# Redaction that makes the output longer than the input ("a@b.cc " is 7
# bytes, "[EMAIL] " 8), and masking of short IPv4 addresses, over a
# 3.3 MiB line.
perl -e 'binmode STDOUT; print "a\@b.cc " x 500000' >"$TMP/x.in"
perl -e 'binmode STDOUT; print "[EMAIL] " x 500000' >"$TMP/x.exp"
run_pii "$TMP/x.in" "$TMP/x.out" "$TMP/x.err" --action email=redact
expect_rc "500,000 short e-mails on one line, redacted (output grows): exit 0" 0 "$RC"
expect_eq "500,000 short e-mails on one line, redacted: every one labelled" "$TMP/x.exp" "$TMP/x.out"
perl -e 'binmode STDOUT; print "1.1.1.1 " x 450000' >"$TMP/x.in"
perl -e 'binmode STDOUT; print "1.1.*.* " x 450000' >"$TMP/x.exp"
run_pii "$TMP/x.in" "$TMP/x.out" "$TMP/x.err"
expect_eq "450,000 short IPv4 addresses on one line: every one masked" "$TMP/x.exp" "$TMP/x.out"
rm -f "$TMP"/x.*

# ---- digit runs across edges must not become findings -------------------------
gen runs "$LEN" "$TMP/r.in"
run_pii "$TMP/r.in" "$TMP/r.out" "$TMP/r.err"
expect_rc "digit runs of 12..70000 digits (3 MiB line): exit 0" 0 "$RC"
expect_eq "digit runs of 12..70000 digits across every edge: no finding" "$TMP/r.in" "$TMP/r.out"

gen fwruns "$LEN" "$TMP/r.in"
run_pii "$TMP/r.in" "$TMP/r.out" "$TMP/r.err"
expect_eq "full-width digit runs across every edge: no finding" "$TMP/r.in" "$TMP/r.out"

if ! gen edgerun "$BIN" "$LEN" 13,300,1100,100000 -12,-5,0,1,12 "$MIB" $((2 * MIB)) >"$TMP/bad"; then
    : # reported by gen
elif [ ! -s "$TMP/bad" ]; then
    pass "digit runs of 13..100000 digits centred on 1 MiB and 2 MiB at offsets -12..+12 (20 runs): no finding"
else
    mapfile -t bad <"$TMP/bad"
    fail "digit runs centred on the 1 MiB / 2 MiB edges produced findings" "${bad[@]}"
fi

# A 3 MiB line that is one single run of digits: every window starts and
# ends inside it.
perl -e 'binmode STDOUT; print substr("13812345678" x 300000, 0, 3 * 1048576)' >"$TMP/r.in"
run_pii "$TMP/r.in" "$TMP/r.out" "$TMP/r.err"
expect_rc "one 3 MiB digit run: exit 0" 0 "$RC"
expect_eq "one 3 MiB digit run: no finding" "$TMP/r.in" "$TMP/r.out"
rm -f "$TMP"/r.*

# ---- ends of a long line, and the lines after it --------------------------------
gen ends "$LEN" "$TMP/e.in" "$TMP/e.exp"
run_pii "$TMP/e.in" "$TMP/e.out" "$TMP/e.err"
expect_eq "3 MiB line: entity at the first and at the last byte masked" "$TMP/e.exp" "$TMP/e.out"

# After a long line ends, the next line starts fresh: an entity at its start
# is found (no left-over "inside a word" state from the window).
{
    cat "$TMP/e.in"
    printf '\n13812345678 x\n13812345678\r\nabc'
} >"$TMP/e2.in"
{
    cat "$TMP/e.exp"
    printf '\n138****5678 x\n138****5678\r\nabc'
} >"$TMP/e2.exp"
run_pii "$TMP/e2.in" "$TMP/e2.out" "$TMP/e2.err"
expect_eq "short lines after a 3 MiB line: entities at line start masked" "$TMP/e2.exp" "$TMP/e2.out"

# Several long lines in a row, each ending on a digit run and the next
# starting with a phone.
perl -e '
    binmode STDOUT;
    my $f = substr("lorem ipsum dolor sit amet, " x 60000, 0, 1_500_000);
    for my $i (1..3) { print "13812345678 $f 1234567\n" }' >"$TMP/e3.in"
perl -e '
    binmode STDOUT;
    my $f = substr("lorem ipsum dolor sit amet, " x 60000, 0, 1_500_000);
    for my $i (1..3) { print "138****5678 $f 1234567\n" }' >"$TMP/e3.exp"
run_pii "$TMP/e3.in" "$TMP/e3.out" "$TMP/e3.err"
expect_eq "three 1.5 MiB lines: phone at each line start masked" "$TMP/e3.exp" "$TMP/e3.out"

# ---- --max-record: the window is configurable --------------------------------------
# a 320 KB line of PII and look-alikes: windows of 64 KiB give exactly the
# bytes of one whole-record pass (the default 1 MiB), with -j 1 and -j 2
perl -e 'srand(5); my @p = ("x ", "yy ", "13812345678 ", "tel:13912345678,", "a\@b.cn ",
    "110105194912310021 ", "6222021234567894 ", "2026-01-01 ", "\xe5\x8c\x97\xe4\xba\xac\xe5\xb8\x82 ");
    print map({ $p[int rand @p] } 1..30000), "\nshort 13812345678\n"' >"$TMP/mr.txt"
run_pii "$TMP/mr.txt" "$TMP/mr.whole" "$TMP/e"
for j in 1 2; do
    run_pii "$TMP/mr.txt" "$TMP/mr.64k.$j" "$TMP/e" --max-record 64K -j "$j"
    expect_rc "--max-record 64K, -j $j: exit 0" 0 "$RC"
    expect_eq "--max-record 64K, -j $j: windows give the bytes of the whole record" \
        "$TMP/mr.whole" "$TMP/mr.64k.$j"
done
expect_no_grep "--max-record 64K: no phone in clear (every piece ends in a space)" \
    "$TMP/mr.64k.1" "13812345678"
# a CSV record longer than --max-record is scanned as text and counted
{ printf 'a,b\n1,"'; head -c 100000 /dev/zero | tr '\0' 'x'; printf ' 13812345678"\n2,13912345678\n'; } >"$TMP/mr.csv"
run_pii "$TMP/mr.csv" "$TMP/mr.csv.out" "$TMP/e" --format csv --max-record 64K
expect_rc "--max-record 64K, CSV record of 100 KB: exit 0" 0 "$RC"
expect_no_grep "--max-record 64K, CSV record of 100 KB: no phone in clear" "$TMP/mr.csv.out" "13812345678"
expect_grep "--max-record 64K, CSV record of 100 KB: counted as not parsed" "$TMP/e" "could not be parsed"
for bad in 10K 1X 300M ""; do
    run_pii /dev/null "$TMP/o" "$TMP/e" --max-record "$bad"
    expect_rc "--max-record '$bad': exit 2" 2 "$RC"
done

finish
