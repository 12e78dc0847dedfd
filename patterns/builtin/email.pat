# E-mail addresses.
id: email
label: [EMAIL]
description: e-mail address
kind: email
pattern: [A-Za-z0-9._%+-]{1,64}(?:@|＠)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,63}
priority: 60
confidence: 95
action: mask
mask: email
canonical: lower
example: mail zhang.san@example.com. => zhang.san@example.com
example: 邮箱li_si+tag@mail.example.cn谢谢 => li_si+tag@mail.example.cn
example: 邮箱 zhangsan＠qq.com 谢谢 => zhangsan＠qq.com
counter: not@mail
counter: a@b.c1
