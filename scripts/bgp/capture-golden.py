#!/usr/bin/env python3
"""Capture golden BGP messages from a real peer (gobgpd, bird, bgpd) for MetalLb.Net.Bgp.Tests.

A deliberately tiny BGP speaker: connect to the peer, send OPEN (MP IPv4+IPv6 unicast,
4-octet AS, route refresh), answer KEEPALIVEs, record every message the peer sends for a few
seconds, then send a KEEPALIVE with a broken marker so the peer answers with NOTIFICATION 1/1
(an unknown message type made gobgpd 3.10 panic), and record that too. Writes one hex file per message with a provenance comment line.
Used by scripts/bgp/capture-golden.sh; the files are checked in, so tests never run this.
"""
import socket, struct, sys, time, os

peer, asn, outdir, label = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 4.0

def msg(t, body):
    return b'\xff' * 16 + struct.pack('!HB', 19 + len(body), t) + body

caps = bytes([1, 4, 0, 1, 0, 1, 1, 4, 0, 2, 0, 1, 2, 0, 65, 4]) + struct.pack('!I', asn)
opt = bytes([2, len(caps)]) + caps
my_as = asn if asn < 65536 else 23456
open_msg = msg(1, struct.pack('!BHHIB', 4, my_as, 90, 0xC0000201, len(opt)) + opt)

fam = socket.AF_INET6 if ':' in peer else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.settimeout(10)
s.connect((peer, 179))
s.sendall(open_msg)
buf = b''
got = []
names = {1: 'open', 2: 'update', 3: 'notification', 4: 'keepalive', 5: 'routerefresh'}
deadline = time.time() + seconds
sent_bad = False
while True:
    if time.time() > deadline and not sent_bad:
        s.sendall(b'\x00' * 16 + struct.pack('!HB', 19, 4))   # bad marker: NOTIFICATION 1/1
        sent_bad = True
    s.settimeout(0.5)
    try:
        data = s.recv(65536)
    except socket.timeout:
        continue
    if not data:
        break
    buf += data
    while len(buf) >= 19:
        length, t = struct.unpack('!HB', buf[16:19])
        if len(buf) < length:
            break
        m, buf = buf[:length], buf[length:]
        got.append((t, m))
        if t == 1:
            s.sendall(msg(4, b''))
    if any(t == 3 for t, _ in got):
        break
s.close()
os.makedirs(outdir, exist_ok=True)
seen = {}
for t, m in got:
    name = names.get(t, 'type%d' % t)
    if name == 'keepalive' and seen.get(name):
        continue
    seen[name] = seen.get(name, 0) + 1
    path = os.path.join(outdir, '%s-%s-%d.hex' % (label, name, seen[name]))
    with open(path, 'w') as f:
        f.write('# captured from %s by scripts/bgp/capture-golden.sh on %s\n' % (label, time.strftime('%Y-%m-%d')))
        f.write(m.hex() + '\n')
    print(path)
