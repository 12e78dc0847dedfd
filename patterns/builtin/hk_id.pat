# Hong Kong identity card numbers (reference: cn-id.md §2).
id: hk_id
label: [HK_ID]
description: Hong Kong identity card number with its check character
kind: alnum
length: 8-9
pattern: [A-Z]{1,2}\d{6} ?(?:\([0-9A]\)|[0-9A])
validator: hk_id
priority: 72
confidence: 70
action: mask
mask: keep 1 1
canonical: upper
context: 香港身份證, 香港身份证, 身份證, 身份证, hkid, hk id
example: HKID A123456(3) => A123456(3)
example: 香港身份證 E364912(5) => E364912(5)
example: AB987654(3) => AB987654(3)
counter: A123456(4)
