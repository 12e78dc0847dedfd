#!/usr/bin/env bash
# detect.sh - entities in realistic context: next to other numbers, dates,
# times and each other, as in log lines. A finding must not be lost because
# of what stands before or after it (beyond the documented rule that a
# number glued to a word is a word).
. "$(dirname "$0")/lib.sh"

IP=121.249.194.98 IP_M='121.249.*.*'
PHONE=13812345678 PHONE_M='138****5678'
ID=11010519491231002X ID_M='110***********002X'
CARD='4242 4242 4242 4242' CARD_M='4242 42** **** 4242'
MAIL=zhang.san@example.com MAIL_M='z********@example.com'

# ---- an IPv4 address after a number and one space / hyphen ----------------
# These lines are ordinary access-log shapes; the address is personal data
# whatever precedes it.
check_filter "IPv4 after a date and time (access log)" \
    "2024-05-06 12:30:01 $IP GET /index.html 200\n" \
    "2024-05-06 12:30:01 $IP_M GET /index.html 200\n"
check_filter "IPv4 after a small number and a space" "10 $IP\n" "10 $IP_M\n"
check_filter "IPv4 after a number and a hyphen" "10-$IP\n" "10-$IP_M\n"
check_filter "IPv4 after a phone and a space" "$PHONE $IP\n" "$PHONE_M $IP_M\n"
check_filter "IPv4 after a card and a space" "$CARD $IP\n" "$CARD_M $IP_M\n"
check_filter "IPv4 after an ID and a space" "$ID $IP\n" "$ID_M $IP_M\n"
check_filter "IPv4 after a number and a comma" "10, $IP\n" "10, $IP_M\n"
check_filter "IPv4 after a number and two spaces" "10  $IP\n" "10  $IP_M\n"
check_filter "IPv4 after a number and a tab" "10\t$IP\n" "10\t$IP_M\n"
check_filter "IPv4 followed by a port number" "$IP 8080\n" "$IP_M 8080\n"
check_filter "IPv4 after another IPv4" "$IP $IP\n" "$IP_M $IP_M\n"

# ---- numbers next to numbers -----------------------------------------------------
check_filter "phone after a small number" "12 $PHONE\n" "12 $PHONE_M\n"
check_filter "phone between numbers" "8080 $PHONE 1\n" "8080 $PHONE_M 1\n"
check_filter "two phones joined by a hyphen" "$PHONE-$PHONE\n" "$PHONE_M-$PHONE_M\n"
check_filter "ID after a date" "2024-05-06 $ID\n" "2024-05-06 $ID_M\n"
check_filter "card then phone" "$CARD $PHONE\n" "$CARD_M $PHONE_M\n"
check_filter "IPv4 then phone joined by a hyphen" "$IP-$PHONE\n" "$IP_M-$PHONE_M\n"
check_filter "phone then e-mail" "$PHONE $MAIL\n" "$PHONE_M $MAIL_M\n"
check_filter "grouped phone 3-4-4 with spaces" "tel 138 1234 5678.\n" "tel 138 **** 5678.\n"
check_filter "+86 with hyphens (the entities example)" \
    "+86 138-1234-5678\n" "+86 138-****-5678\n"

# ---- the documented word rule: a number glued to ASCII letters is a word --------
check_filter "phone glued to ASCII letters is not a finding" \
    "abc${PHONE}xyz\n" "abc${PHONE}xyz\n"
check_filter "phone glued to CJK text is a finding" "电话${PHONE}。\n" "电话${PHONE_M}。\n"

# "::" alone (the unspecified address) names no host: not a finding (its
# mask would have nothing to hide: fuzz_parallel)
check_filter "ipv6: '::' alone is kept" 'host :: port\nx::y\n中::文\n\xe5\x85::\xd8\xf5\n' \
    'host :: port\nx::y\n中::文\n\xe5\x85::\xd8\xf5\n'
check_filter "ipv6: '::1' is masked" 'host ::1 port\n' 'host ::* port\n'

finish
