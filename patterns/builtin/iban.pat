# IBAN (reference: cards.md §3, iban-countries.tsv).
id: iban
label: [IBAN]
description: IBAN with the country's length and BBAN layout, MOD 97-10
kind: alnum
length: 15-34
pattern: [A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?:[ -][A-Z0-9]{4}){2,7}(?:[ -][A-Z0-9]{1,4})?)
validator: iban
priority: 75
confidence: 95
action: mask
mask: keep 4 4
canonical: upper
context: iban, account, 账号, 账户
example: IBAN DE89 3704 0044 0532 0130 00 => DE89 3704 0044 0532 0130 00
example: pay to GB82WEST12345698765432. => GB82WEST12345698765432
example: GB82 WEST 1234 5698 7654 32 => GB82 WEST 1234 5698 7654 32
counter: DE89370400440532013001
counter: XX89370400440532013000
