#!/usr/bin/env python3
"""hand.py TARGET PORT STEPSFILE|- : raw IMAP session(s). Steps: lines 'S<n> <raw command text>' with
\\r\\n escapes; the tag is added (t<k>). 'S<n> !sleep 1' sleeps; '!raw' sends without tag.
The password is read from the recipe manifest at run time and never printed."""
import socket, sys, time, re, select, json, os
target, port, stepsf = sys.argv[1], int(sys.argv[2]), sys.argv[3]
man = open(f'/work/main/targets/{target}/manifest.toml').read()
pw = re.search(r'^password\s*=\s*"([^"]*)"', man, re.M).group(1)
user = os.environ.get('HUSER', 'user1')
conns = {}
def show(who, d, s):
    for line in s.split(b'\r\n')[:-1] if s.endswith(b'\r\n') else s.split(b'\r\n'):
        t = line.replace(pw.encode(), b'<redacted>')
        print(f"{who} {d}: {t.decode('latin1')[:300]}")
def drain(n, wait=0.5):
    c = conns[n]; buf = b''; end = time.time() + wait
    while True:
        r, _, _ = select.select([c], [], [], max(0, end - time.time()))
        if not r: break
        try: d = c.recv(1 << 20)
        except ConnectionResetError as e:
            show(f'S{n}', 'S', buf); buf = b''; print(f'S{n} *: reset {e}'); break
        if not d: show(f'S{n}', 'S', buf); buf = b''; print(f'S{n} *: EOF'); break
        buf += d; end = time.time() + wait
    if buf: show(f'S{n}', 'S', buf)
def conn(n):
    c = socket.create_connection(('127.0.0.1', port)); conns[n] = c; drain(n)
    c.sendall(f'a0 LOGIN {user} {pw}\r\n'.encode()); print(f'S{n} C: a0 LOGIN {user} <redacted>'); drain(n)
k = 0
lines = sys.stdin.read().splitlines() if stepsf == '-' else open(stepsf).read().splitlines()
for st in lines:
    if not st.strip() or st.startswith('#'): continue
    m = re.match(r'S(\d+) (.*)', st); n, cmd = int(m.group(1)), m.group(2)
    if n not in conns: conn(n)
    if cmd.startswith('!sleep'): time.sleep(float(cmd.split()[1])); continue
    wait = 0.5
    if cmd.startswith('!wait'): _, w, cmd = cmd.split(' ', 2); wait = float(w)
    raw = cmd.startswith('!raw ')
    body = cmd[5:] if raw else cmd
    data = body.encode('latin1').decode('unicode_escape').encode('latin1')
    if not raw:
        k += 1; data = f't{k} '.encode() + data
    if not data.endswith(b'\r\n') and not raw: data += b'\r\n'
    try: conns[n].sendall(data)
    except OSError as e: print(f'S{n} *: send failed {e}'); continue
    print(f'S{n} C: {data[:300]!r}' if len(data) > 300 or b'\n' in data[:-2] else f'S{n} C: {data.decode("latin1").rstrip()}')
    drain(n, wait)
