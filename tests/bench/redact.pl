#!/usr/bin/perl
# redact.pl - the perl baseline of the piiscrub benchmark (tests/bench/run.sh).
#
#   perl redact.pl < in.log > out.log
#
# Reads stdin line by line and writes each line to stdout with these values
# masked in the usual 脱敏 style (as piiscrub's mask action does):
#   - mainland mobiles: 11 digits 1[3-9]x, plain, 3-4-4 with space or hyphen,
#     with +86 / 0086 / 86 in front             -> 138****5678
#   - 18-character resident IDs that pass the MOD 11-2 check (GB 11643)
#                                               -> 110***********002X
#   - bank cards of 16-19 digits that pass Luhn, plain or in groups of 4
#                                               -> 622202******7894
#   - e-mail addresses                          -> z****@example.com
#   - IPv4 addresses with octets 0-255          -> 121.249.*.*
# A digit run counts only when no ASCII letter or digit touches it, so order
# numbers, epoch milliseconds and hex ids are left alone unless they pass a
# check. Bytes are bytes: no decoding, so any encoding passes through.
#
# It is a fair, straightforward baseline: one precompiled regex, a callback
# per candidate with the real checks. It does not do landlines, addresses,
# names, full-width digits or the other piiscrub detectors.
use strict;
use warnings;

binmode STDIN;
binmode STDOUT;

my @ID_W   = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2);
my @ID_CHK = split //, '10X98765432';
my @LUHN2  = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9);

sub id_ok {
    my ($s) = @_;
    my $sum = 0;
    $sum += substr($s, $_, 1) * $ID_W[$_] for 0 .. 16;
    return $ID_CHK[$sum % 11] eq uc substr($s, 17, 1);
}

sub luhn_ok {
    my ($d) = @_;
    my ($sum, $dbl) = (0, 0);
    for my $c (reverse split //, $d) {
        $sum += $dbl ? $LUHN2[$c] : $c;
        $dbl = !$dbl;
    }
    return $sum % 10 == 0;
}

# Replace the digits (and X) of $v between the first $keep1 and the last
# $keep2 of them with '*', keeping separators in place.
sub mask_digits {
    my ($v, $keep1, $keep2) = @_;
    my $n = () = $v =~ /[0-9Xx]/g;
    my $i = 0;
    $v =~ s{([0-9Xx])}{ $i++; ($i > $keep1 && $i <= $n - $keep2) ? '*' : $1 }ge;
    return $v;
}

my $NB = qr/(?<![0-9A-Za-z])/;    # no letter or digit before
my $NA = qr/(?![0-9A-Za-z])/;     # ... or after
my $OCT = qr/(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/;

# Every candidate starts where no ASCII letter or digit precedes it; checking
# that first lets the engine skip the inside of words and digit runs cheaply.
my $RE = qr{
  (?<![0-9A-Za-z]) (?=[0-9A-Za-z+._%-]) (?:
      (?<![A-Za-z0-9._%+-])
      (?<email> [A-Za-z0-9._%+-]++ \@ [A-Za-z0-9-]+ (?:\.[A-Za-z0-9-]+)* \.[A-Za-z]{2,} )
    | (?<![0-9A-Za-z.]) (?<ip> $OCT (?:\.$OCT){3} ) (?![0-9]|\.[0-9])
    | $NB (?<card> [0-9]{4} (?:([ -])[0-9]{4}){3} (?:\g{-1}[0-9]{1,3})? ) $NA
    | (?<![0-9A-Za-z+]) (?<mob> (?:(?:\+|00)?86[ -]?)? 1[3-9][0-9] (?:[ -]?[0-9]{4}){2} ) $NA
    | $NB (?<num> [0-9]{17}[Xx] | [0-9]{16,19} ) $NA
  )
}x;

sub fix {
    if (defined $+{num}) {
        my $v = $+{num};
        return mask_digits($v, 3, 4) if length($v) == 18 && id_ok($v);
        return mask_digits($v, 6, 4) if $v =~ /^[0-9]+$/ && luhn_ok($v);
        return $v;
    }
    if (defined $+{mob}) {
        my $v = $+{mob};
        my $n = () = $v =~ /[0-9]/g;
        return mask_digits($v, $n - 8, 4);    # country code and first 3 stay
    }
    if (defined $+{card}) {
        my $v = $+{card};
        (my $d = $v) =~ s/[^0-9]//g;
        return luhn_ok($d) ? mask_digits($v, 6, 4) : $v;
    }
    if (defined $+{ip}) {
        my @o = split /\./, $+{ip};
        return "$o[0].$o[1].*.*";
    }
    my ($local, $domain) = split /\@/, $+{email}, 2;
    return substr($local, 0, 1) . ('*' x (length($local) - 1)) . '@' . $domain;
}

while (my $line = <STDIN>) {
    $line =~ s/$RE/fix()/ge;
    print $line;
}
