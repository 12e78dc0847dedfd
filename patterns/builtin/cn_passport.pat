# Chinese passport numbers: E or G + 8 digits, only next to a context word.
id: cn_passport
label: [CN_PASSPORT]
description: Chinese passport number (E/G + 8 digits), only after a context word
kind: alnum
length: 9
pattern: [EG]\d{8}
priority: 55
confidence: 80
context_required: yes
action: mask
mask: keep 1 2
canonical: upper
context: 护照, 护照号, 护照号码, passport, passport no
example: 护照号 E12345678 => E12345678
example: passport: G87654321 => G87654321
counter: sku E12345678 shipped
