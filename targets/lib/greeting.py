#!/usr/bin/env python3
"""Wait until an IMAP server greets on HOST:PORT, then print the greeting line.

usage: greeting.py --port N [--host 127.0.0.1] [--tls] [--timeout 30] [--pid PID]

Polls every 50 ms. With --pid, gives up as soon as that process has exited (a server
that died on start should not cost the whole timeout). Exit 0 on "* OK" / "* PREAUTH".
"""
import argparse
import socket
import ssl
import sys
import time


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def greet(host, port, tls):
    sock = socket.create_connection((host, port), timeout=3)
    try:
        if tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            sock = ctx.wrap_socket(sock, server_hostname=host)
        return sock.makefile("rb").readline().decode("utf-8", "replace").rstrip("\r\n")
    finally:
        sock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--tls", action="store_true")
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--pid", type=int)
    a = ap.parse_args()
    where = f"{a.host}:{a.port}{' (TLS)' if a.tls else ''}"
    deadline = time.monotonic() + a.timeout
    last = "no connection"
    while time.monotonic() < deadline:
        if a.pid and not alive(a.pid):
            sys.exit(f"server process {a.pid} exited before greeting on {where}")
        try:
            line = greet(a.host, a.port, a.tls)
            if line.startswith(("* OK", "* PREAUTH")):
                print(line)
                return
            last = f"unexpected greeting {line!r}"
        except (OSError, ssl.SSLError) as e:
            last = str(e)
        time.sleep(0.05)
    sys.exit(f"no IMAP greeting on {where} after {a.timeout:g} s ({last})")


if __name__ == "__main__":
    main()
