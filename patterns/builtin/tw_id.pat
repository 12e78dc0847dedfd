# Taiwan national ID / resident certificate numbers (reference: cn-id.md §3).
id: tw_id
label: [TW_ID]
description: Taiwan national ID or resident certificate number with its check digit
kind: alnum
length: 10
pattern: [A-Z][1289]\d{8}
validator: tw_id
priority: 72
confidence: 75
action: mask
mask: keep 2 2
canonical: upper
context: 身分證, 身份证, 統一編號, 统一编号, 台湾身份证, id
example: 身分證 A123456789 => A123456789
example: F131104093 => F131104093
counter: A123456788
counter: B234567890
