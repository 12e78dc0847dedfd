# International phone numbers in E.164 form with a real country code.
id: intl_phone
label: [INTL_PHONE]
description: international phone number, +CC and a plausible national length (not +86)
kind: digits
length: 8-17
pattern: (?:\+|00)[1-9]\d{0,3}(?:[ -]?(?:\(\d{1,4}\)|\d{1,8})){1,6}
validator: intl_phone
priority: 60
confidence: 85
action: mask
mask: hide 4 4
canonical: digits
fpe: tail 6
context: tel, phone, mobile, fax, 电话, 手机
example: call +1 (415) 555-0132 => +1 (415) 555-0132
example: uk +44 20 7946 0958 => +44 20 7946 0958
example: +49 30 17589365 => +49 30 17589365
example: +33 1 01 08 98 78 => +33 1 01 08 98 78
example: +1 702-555-0184 => +1 702-555-0184
example: tel 0044 20 7946 0958 => 0044 20 7946 0958
example: call +1.415.555.0132 today => +1.415.555.0132
counter: +86 138 1234 5678
counter: v1.2 +999 123
counter: gift_card="6217 0035 9531 8313"
counter: trace 8d38-006742168895
