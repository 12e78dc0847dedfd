# IPv6 addresses.
id: ipv6
label: [IPV6]
description: IPv6 address (RFC 4291 text forms)
kind: ipv6
pattern: [0-9A-Fa-f:.]{2,45}
validator: ipv6
priority: 50
confidence: 90
action: mask
mask: ipv6 2
canonical: lower
example: client 2001:db8::1 connected => 2001:db8::1
example: addr=fe80::1:2:3:4 => fe80::1:2:3:4
example: [2001:0db8:85a3:0000:0000:8a2e:0370:7334]:443 => 2001:0db8:85a3:0000:0000:8a2e:0370:7334
counter: at 10:17:06.120
counter: mac 00:1A:2B:3C:4D:5E
