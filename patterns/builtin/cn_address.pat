# Chinese postal addresses (reference: regions/address-tokens.md).
id: cn_address
label: [ADDRESS]
description: Chinese postal address from a division name (gazetteer) or label to the house/unit number
kind: cn_address
length: 4-200
priority: 85
confidence: 85
action: mask
mask: address
canonical: fold
context: 收货地址, 收件地址, 详细地址, 家庭住址, 家庭地址, 通讯地址, 邮寄地址, 联系地址, 现住址, 地址, 住址, 寄到, 寄往, 送至, 送到
example: 请寄到 吉林省长春市宽城区自由大路170号融创玖樟台25栋3单元1306室，好的 => 吉林省长春市宽城区自由大路170号融创玖樟台25栋3单元1306室
example: 广西壮族自治区南宁市青秀区民族大道725号 => 广西壮族自治区南宁市青秀区民族大道725号
example: 朝阳区建国路88号 => 朝阳区建国路88号
example: 地址：建国路88号院3号楼 => 建国路88号院3号楼
counter: 北京时间10点发货
counter: 上海发货2号到
