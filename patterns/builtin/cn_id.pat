# Mainland resident ID numbers, GB 11643-1999 (reference: cn-id.md §1).
id: cn_id
label: [CN_ID]
description: mainland resident ID, 18-digit (MOD 11-2, date, region) or 15-digit legacy
kind: digits
length: 15-18
pattern: \d{17}[\dX]|\d{6}[ -]\d{8}[ -]\d{3}[\dX]|\d{6}[ -]\d{4}[ -]\d{4}[ -]\d{3}[\dX]|\d{15}
validator: cn_id
priority: 90
confidence: 95
action: mask
mask: keep 3 4
canonical: digits
fpe: cn_id
context: 身份证, 身份证号, 身份证号码, 公民身份号码, 证件号, 证件号码, id, id no, id_no, idcard, id_card
negative: 订单号, 订单编号, 运单号, 交易号, 流水号, 退款单号, order, tracking, txn
negative_penalty: 40
example: 身份证号11010519491231002X已核验 => 11010519491231002X
example: id 11010519491231002x. => 11010519491231002x
example: ID: 110105 19491231 002X => 110105 19491231 002X
example: 证件 440305198512314561 => 440305198512314561
example: legacy 110105491231002 card => 110105491231002
counter: 订单号 110105194912310021
counter: bad date 310104199002301232
counter: future 440305208512314568
counter: order 202503212154028610
