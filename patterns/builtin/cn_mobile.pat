# Mainland China mobile numbers (reference: cn-phone.md §1, §3).
id: cn_mobile
label: [CN_MOBILE]
description: mainland China mobile number (allocated MIIT blocks; +86, 0086, 86)
kind: digits
length: 11-15
# the shape of the normalized candidate: an optional country code, then
# 11 digits plain or grouped 3-4-4 / 3-8 / 7-4
pattern: (?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:\d{8}|[ -]\d{4}[ -]\d{4}|[ -]\d{8}|\d{4}[ -]\d{4})
validator: cn_mobile
priority: 70
confidence: 90
action: mask
mask: hide 4 4
canonical: tail 11
fpe: tail 8
context: 手机, 手机号, 电话, 联系电话, 联系方式, 号码, 致电, 回电, tel, phone, mobile, cell
negative: 订单号, 订单编号, 运单号, 快递单号, 交易号, 流水号, 会员号, 工单号, order, tracking, txn
negative_penalty: 20
example: 电话13812345678谢谢 => 13812345678
example: call 138 1234 5678 now => 138 1234 5678
example: 手机：138-1234-5678 => 138-1234-5678
example: tel +86 138 1234 5678. => +86 138 1234 5678
example: phone=+86-13812345678 => +86-13812345678
example: 联系 0086 13812345678 => 0086 13812345678
example: 86-13912345678 => 86-13912345678
example: 手机 138.0013.8000 => 138.0013.8000
example: 手机１３８１２３４５６７８ => １３８１２３４５６７８
example: 138\xe2\x80\x8b1234\xe2\x80\x8b5678 => 138\xe2\x80\x8b1234\xe2\x80\x8b5678
counter: 会员号 12364950416
counter: sku R13812345678
counter: run 9913812345678012
counter: amount 13812345678.50
counter: prefix 14012345678
counter: +13812345678
