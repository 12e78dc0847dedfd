# US Social Security Numbers (reference: cards.md §4).
id: us_ssn
label: [US_SSN]
description: US Social Security number AAA-GG-SSSS (never-issued areas, groups, serials excluded)
kind: digits
length: 9
pattern: \d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}
validator: us_ssn
priority: 60
confidence: 85
action: mask
mask: keep 0 4
canonical: digits
fpe: tail 6
context: ssn, social security, ss#, social
example: SSN 221-60-2382 on file => 221-60-2382
example: ssn: 123 45 6789 => 123 45 6789
counter: 000-12-3456
counter: 666-12-3456
counter: 123-00-4567
counter: date 2026-11-29
