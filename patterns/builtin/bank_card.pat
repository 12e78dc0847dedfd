# Payment cards (reference: cards.md §1, §2).
id: bank_card
label: [BANK_CARD]
description: payment card number, 13-19 digits (Luhn, known issuer range and length)
kind: digits
length: 13-19
pattern: \d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,4})?|\d{4}[ -]\d{6}[ -]\d{4,5}|\d{6}[ -]\d{7,13}
validator: bank_card
priority: 80
confidence: 90
action: mask
mask: keep 6 4
canonical: digits
fpe: card
context: 卡号, 银行卡, 银行卡号, 借记卡, 信用卡, 储蓄卡, 账号, 开户行, card, card_no, cardno, pan
negative: 订单号, 订单编号, 运单号, 交易号, 流水号, order, tracking, txn
negative_penalty: 40
example: 卡号6222 0212 3456 7894。 => 6222 0212 3456 7894
example: card 4242424242424242 => 4242424242424242
example: amex 3782-822463-10005 => 3782-822463-10005
example: cn 6205500000000000004 ok => 6205500000000000004
counter: card 4242424242424241
counter: txn 7098735561127331
counter: ts 20260129130501
