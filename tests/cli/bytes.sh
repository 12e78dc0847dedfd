#!/usr/bin/env bash
# bytes.sh - byte transparency: everything outside a finding is copied
# unchanged (line endings, a missing final newline, NUL, invalid UTF-8,
# arbitrary binary), and odd bytes next to an entity do not stop detection.
. "$(dirname "$0")/lib.sh"
need_cmd perl

# The documented masks (README / entities): input -> default output.
PHONE=13812345678 PHONE_M='138****5678'
ID=11010519491231002X ID_M='110***********002X'
CARD='4242 4242 4242 4242' CARD_M='4242 42** **** 4242'
MAIL=zhang.san@example.com MAIL_M='z********@example.com'
IP=121.249.194.98 IP_M='121.249.*.*'
FW='１３８１２３４５６７８' FW_M='１３８****５６７８'

# ---- empty and trivial inputs ------------------------------------------------
: >"$TMP/empty"
run_pii "$TMP/empty" "$TMP/empty.out" "$TMP/empty.err"
expect_rc "empty input: exit 0" 0 "$RC"
expect_empty "empty input: empty output" "$TMP/empty.out"
expect_empty "empty input: nothing on stderr" "$TMP/empty.err"

check_filter "a lone newline" '\n' '\n'
check_filter "only newlines" '\n\n\n\n' '\n\n\n\n'
check_filter "a single byte, no newline" 'a' 'a'
check_filter "a single NUL byte" '\x00' '\x00'
check_filter "a single digit, no newline" '7' '7'

# ---- the documented examples, one per line -----------------------------------
check_filter "each entity type masked by default" \
    "$PHONE\n$ID\n$CARD\n$MAIL\n$IP\n$FW\n" \
    "$PHONE_M\n$ID_M\n$CARD_M\n$MAIL_M\n$IP_M\n$FW_M\n"

# ---- line endings --------------------------------------------------------------
check_filter "CRLF kept after a finding" \
    "tel $PHONE\r\nid $ID\r\n" "tel $PHONE_M\r\nid $ID_M\r\n"
check_filter "CRLF kept, entity right before CR" \
    "$PHONE\r\n$MAIL\r\n$IP\r\n" "$PHONE_M\r\n$MAIL_M\r\n$IP_M\r\n"
check_filter "CRLF lines without PII unchanged" \
    'first line\r\n\r\nthird line\r\n' 'first line\r\n\r\nthird line\r\n'
check_filter "lone CR (old Mac endings) kept" \
    "a $PHONE\rb $CARD\rc" "a $PHONE_M\rb $CARD_M\rc"
check_filter "CR at end of input without LF kept" "$PHONE\r" "$PHONE_M\r"
check_filter "mixed LF / CRLF / CR endings kept" \
    "x\ny\r\nz\r$PHONE\n\r\n" "x\ny\r\nz\r$PHONE_M\n\r\n"

# ---- missing final newline -------------------------------------------------------
check_filter "no final newline, text only" 'no newline here' 'no newline here'
check_filter "no final newline, entity is the last byte" "call $PHONE" "call $PHONE_M"
check_filter "no final newline after several lines" \
    "l1 $MAIL\nl2\nl3 $IP" "l1 $MAIL_M\nl2\nl3 $IP_M"
check_filter "no final newline, only an entity" "$ID" "$ID_M"
check_filter "no final newline after CRLF lines" "a\r\nb $CARD" "a\r\nb $CARD_M"

# ---- NUL bytes -------------------------------------------------------------------
check_filter "NUL before an entity" "\x00$PHONE\n" "\x00$PHONE_M\n"
check_filter "NUL after an entity" "$PHONE\x00\n" "$PHONE_M\x00\n"
check_filter "NUL between two entities" "$PHONE\x00$PHONE\n" "$PHONE_M\x00$PHONE_M\n"
check_filter "NULs around every type" \
    "\x00$PHONE\x00\x00$ID\x00$CARD\x00\x00\x00$MAIL\x00$IP\x00$FW\x00" \
    "\x00$PHONE_M\x00\x00$ID_M\x00$CARD_M\x00\x00\x00$MAIL_M\x00$IP_M\x00$FW_M\x00"
check_filter "NUL-only line and NUL at end, no newline" \
    "\x00\x00\x00\n$MAIL\x00" "\x00\x00\x00\n$MAIL_M\x00"

# ---- invalid UTF-8 -----------------------------------------------------------------
check_filter "\\xff\\xfe right before and after a phone" \
    "\xff\xfe$PHONE\xff\xfe\n" "\xff\xfe$PHONE_M\xff\xfe\n"
check_filter "lone continuation bytes before, truncated lead after" \
    "\x80\x80$PHONE\xc3\n" "\x80\x80$PHONE_M\xc3\n"
check_filter "truncated full-width digit sequence around a phone" \
    "\xef\xbc$PHONE\xef\xbc\n" "\xef\xbc$PHONE_M\xef\xbc\n"
check_filter "truncated 0xEF at end of input after a phone" "$PHONE\xef" "$PHONE_M\xef"
check_filter "surrogate encoding and overlong bytes around an ID" \
    "\xed\xa0\x80$ID\xc0\xaf\n" "\xed\xa0\x80$ID_M\xc0\xaf\n"
check_filter "invalid bytes around card, e-mail and IP" \
    "\xfe$CARD\xff $MAIL\xff\xf8$IP\xfe\n" "\xfe$CARD_M\xff $MAIL_M\xff\xf8$IP_M\xfe\n"
check_filter "invalid bytes next to full-width digits" "\xff$FW\xff" "\xff$FW_M\xff"
check_filter "4-byte emoji around a phone" \
    "\xf0\x9f\x98\x80$PHONE\xf0\x9f\x98\x80\n" "\xf0\x9f\x98\x80$PHONE_M\xf0\x9f\x98\x80\n"
check_filter "CJK text glued to entities" \
    "电话$PHONE，邮箱$MAIL。\n" "电话$PHONE_M，邮箱$MAIL_M。\n"

# ---- text without PII is byte-identical ---------------------------------------------
# Numbers that are not personal data, and every byte value 0..255 in order.
cat >"$TMP/nopii.in" <<'EOF'
Order 12345 shipped on 2024-05-06 at 12:30, total 99.50 CNY.
version 10.0.19045 build 2024.01.02
pi = 3.14159265358979323846
ten digits 1234567890 and twelve 123456789012
user@localhost has no domain; @handle; a@b; x@y.z1
999.999.999.999 and 1.2.3 and 256.1.1.1
EOF
perl -e 'binmode STDOUT; for (1..3) { print map { chr } 0..255; print "\n" }' >>"$TMP/nopii.in"
run_pii "$TMP/nopii.in" "$TMP/nopii.out" "$TMP/nopii.err"
expect_rc "text without PII: exit 0" 0 "$RC"
expect_eq "text without PII (incl. all 256 byte values) unchanged" "$TMP/nopii.in" "$TMP/nopii.out"

# ~2 MiB of random bytes with no digit, '@', ':' or 0xEF (so nothing can be
# a candidate: an IPv6 address needs no digit, ::d is one), with short and
# very long lines: must come back identical.
perl -e '
    srand(20240506); binmode STDOUT;
    my @ok = grep { !(($_ >= 48 && $_ <= 58) || $_ == 64 || $_ == 0xEF) } 0..255;
    my $n = 0;
    while ($n < 2_200_000) {
        my $len = rand() < 0.9 ? int(rand(200)) : int(rand(300_000));
        my $s = join "", map { chr $ok[int rand @ok] } 1..$len;
        $n += length($s) + 1;
        print $s;
    }' >"$TMP/rand.in"
run_pii "$TMP/rand.in" "$TMP/rand.out" "$TMP/rand.err"
expect_rc "random binary without candidates: exit 0" 0 "$RC"
expect_eq "random binary without candidates unchanged" "$TMP/rand.in" "$TMP/rand.out"

# ---- 10,000 mixed lines: only the findings change -----------------------------------
# The generator writes the input, the expected default (mask) output and the
# expected --action all=redact output. Lines mix every entity type with
# CRLF, NUL, invalid UTF-8, CJK text, empty lines and non-PII numbers; the
# last line has no newline.
cat >"$TMP/mix.pl" <<'EOF'
use strict; use warnings;
my ($in, $mask, $red) = @ARGV;
open(my $I, '>', $in) or die; open(my $M, '>', $mask) or die; open(my $R, '>', $red) or die;
binmode $_ for $I, $M, $R;
srand(10000);
my @ents = (
  ['13812345678', '138****5678', '[CN_MOBILE]'],
  ['138 1234 5678', '138 **** 5678', '[CN_MOBILE]'],
  ['11010519491231002X', '110***********002X', '[CN_ID]'],
  ['4242 4242 4242 4242', '4242 42** **** 4242', '[BANK_CARD]'],
  ['4242424242424242', '424242******4242', '[BANK_CARD]'],
  ['zhang.san@example.com', 'z********@example.com', '[EMAIL]'],
  ['121.249.194.98', '121.249.*.*', '[IPV4]'],
  ["\xef\xbc\x91\xef\xbc\x93\xef\xbc\x98\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97\xef\xbc\x98",
   "\xef\xbc\x91\xef\xbc\x93\xef\xbc\x98****\xef\xbc\x95\xef\xbc\x96\xef\xbc\x97\xef\xbc\x98", '[CN_MOBILE]'],
);
# Text between entities: no letter, digit or '_' may touch an entity.
my @gaps = (' ', ', ', ' : ', "\t", "\x00", "\xff\xfe", " \xe7\x94\xb5\xe8\xaf\x9d ",
            "\xe3\x80\x82", ' (', ') ', ' <', '> ', ' "', '" ', ' | ', ';');
my @plain = ('', 'nothing to see here', 'Order 12345 shipped 2024-05-06, total 99.50',
             "\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xb8\x96\xe7\x95\x8c", "bin \x00\x01\x02\xff\x80 data",
             'version 10.0.19045', 'ten digits 1234567890', 'x' x 500);
my $lines = 10000;
for my $i (1 .. $lines) {
  my ($a, $b, $c) = ('', '', '');
  if (rand() < 0.35) {
    my $p = $plain[int rand @plain];
    ($a, $b, $c) = ($p, $p, $p);
  } else {
    my $k = 1 + int rand 4;
    my $prev_num = 0;
    for my $j (1 .. $k) {
      my $g = $gaps[int rand @gaps];
      my $e = $ents[int rand @ents];
      # An IPv4 address right after a number and one space is a known miss
      # (asserted on its own in detect.sh); keep this test about bytes.
      $g = ', ' if $prev_num && $g eq ' ' && $e->[2] eq '[IPV4]';
      $prev_num = $e->[2] ne '[EMAIL]';
      $a .= $g . $e->[0]; $b .= $g . $e->[1]; $c .= $g . $e->[2];
    }
    my $g = $gaps[int rand @gaps];
    $a .= $g; $b .= $g; $c .= $g;
  }
  my $eol = $i == $lines ? '' : (rand() < 0.3 ? "\r\n" : "\n");
  print $I $a, $eol; print $M $b, $eol; print $R $c, $eol;
}
close $_ for $I, $M, $R;
EOF
perl "$TMP/mix.pl" "$TMP/mix.in" "$TMP/mix.mask" "$TMP/mix.redact"
expect_str "generator wrote 10,000 lines (9,999 newlines)" 9999 "$(tr -cd '\n' <"$TMP/mix.in" | wc -c | tr -d ' ')"

run_pii "$TMP/mix.in" "$TMP/mix.out" "$TMP/mix.err"
expect_rc "10,000 mixed lines: exit 0" 0 "$RC"
expect_empty "10,000 mixed lines: nothing on stderr" "$TMP/mix.err"
expect_eq "10,000 mixed lines: only findings masked" "$TMP/mix.mask" "$TMP/mix.out"

run_pii "$TMP/mix.in" "$TMP/mix.red.out" "$TMP/mix.red.err" --action all=redact
expect_rc "10,000 mixed lines, all=redact: exit 0" 0 "$RC"
expect_eq "10,000 mixed lines, all=redact: only findings replaced by labels" \
    "$TMP/mix.redact" "$TMP/mix.red.out"

run_pii "$TMP/mix.in" "$TMP/mix.keep.out" "$TMP/mix.keep.err" --action all=keep
expect_rc "10,000 mixed lines, all=keep: exit 0" 0 "$RC"
expect_eq "10,000 mixed lines, all=keep: identical to input" "$TMP/mix.in" "$TMP/mix.keep.out"

# Same data through a pipe in odd-sized pieces (reads end mid-line and
# mid-entity): the result must not depend on how the input was chunked.
perl -e '
    binmode STDIN; binmode STDOUT; $| = 1; my $buf; my $i = 0;
    while (read(STDIN, $buf, 1 + ($i++ * 7919) % 9001)) { print $buf; select(undef, undef, undef, 0.0005) if $i % 50 == 0 }
' <"$TMP/mix.in" | timeout -k 5 "$PII_TIMEOUT" "$BIN" >"$TMP/mix.pipe.out" 2>"$TMP/mix.pipe.err"
expect_rc "10,000 mixed lines via a chunked pipe: exit 0" 0 "${PIPESTATUS[1]}"
expect_eq "10,000 mixed lines via a chunked pipe: same output" "$TMP/mix.mask" "$TMP/mix.pipe.out"

finish
