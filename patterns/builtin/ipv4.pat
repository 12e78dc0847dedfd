# IPv4 addresses.
id: ipv4
label: [IPV4]
description: IPv4 address (octets 0-255, not part of a longer dotted number)
kind: ipv4
pattern: (?:\d{1,3}\.){3}\d{1,3}
priority: 50
confidence: 90
action: mask
mask: ipv4
canonical: fold
example: from 121.249.194.98 - - => 121.249.194.98
example: ip=10.0.0.1:8080 => 10.0.0.1
counter: version 10.0.19045
counter: chrome 120.0.6099.109
counter: ip 256.1.1.1
counter: 1.2.3.4.5
