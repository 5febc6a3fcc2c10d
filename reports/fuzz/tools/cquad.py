#!/usr/bin/env python3
# cquad.py PORT N... : time `SEARCH ALL ALL ... (N keys)` on Cyrus (password from the manifest, never printed)
import socket, sys, time, re
port = int(sys.argv[1])
pw = re.search(r'^password\s*=\s*"([^"]*)"', open('/work/main/targets/cyrus/manifest.toml').read(), re.M).group(1)
c = socket.create_connection(('127.0.0.1', port)); f = c.makefile('rb')
def until(tag):
    while True:
        l = f.readline()
        if not l or l.startswith(tag.encode() + b' '): return l
f.readline()
c.sendall(f'a LOGIN user1 {pw}\r\n'.encode()); until('a')
c.sendall(b'b EXAMINE INBOX\r\n'); until('b')
for n in map(int, sys.argv[2:]):
    cmd = b'c SEARCH' + b' ALL' * n + b'\r\n'
    t = time.time(); c.sendall(cmd); l = until('c')
    print(f'SEARCH with {n} keys ({len(cmd)} bytes): {time.time()-t:.2f} s: {l.strip()[:60].decode()}', flush=True)
c.sendall(b'z LOGOUT\r\n'); until('z')
