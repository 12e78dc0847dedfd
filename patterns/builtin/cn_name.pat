# Chinese personal names after a label.
id: cn_name
label: [NAME]
description: Chinese personal name (common surname + 1-2 characters) after a label such as 姓名 or 收货人
kind: cn_name
length: 2-4
priority: 40
confidence: 85
context_required: yes
action: mask
mask: name 1
canonical: fold
context: 收货人, 收件人, 联系人, 寄件人, 持卡人, 客户姓名, 真实姓名, 姓名, 户名, 客户, 买家
example: 收货人：张伟，电话 => 张伟
example: 姓名 欧阳娜娜 => 欧阳娜娜
example: 联系人王小明先生 => 王小明
counter: 客户满意度很高
