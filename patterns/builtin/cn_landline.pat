# Mainland landline numbers with a real area code (reference: cn-phone.md §2-4).
id: cn_landline
label: [CN_LANDLINE]
description: mainland China landline with a real area code (400/800/95xxx service numbers excluded)
kind: digits
length: 10-15
pattern: (?:(?:\+|00)86[ -]?(?:\(0\)[ -]?)?(?:10|2\d|[3-9]\d{2})[ -]?|\(0(?:10|2\d|[3-9]\d{2})\)[ -]?|0(?:10|2\d|[3-9]\d{2})[ -]?)[2-8]\d{2,3}[ -]?\d{4}
validator: cn_landline
priority: 65
confidence: 85
action: mask
mask: hide 3 4
canonical: digits
fpe: tail 7
context: 座机, 固话, 电话, 联系电话, 传真, 办公电话, tel, phone, fax
negative: 订单号, 运单号, 交易号, 流水号, order, tracking, txn
negative_penalty: 30
example: 座机 010-87654321 => 010-87654321
example: 电话(0755)88886666 => (0755)88886666
example: 传真（010）87654321 => （010）87654321
example: tel 021 6123 4567 => 021 6123 4567
example: 0571-8765432 => 0571-8765432
example: +86 10 8765 4321 => +86 10 8765 4321
example: +86 (0)10 8765 4321 => +86 (0)10 8765 4321
counter: 客服 400-123-4567
counter: 热线 95588
counter: 010-95580
counter: 12345678901
counter: order_id 4359 0734 2121 3250
