#!/usr/bin/env python3
"""Capture what a running IMAP target really says, as TOML lines for its manifest.

usage: capture.py MANIFEST [--write] [--port N] [--tls-port N] [--state-dir DIR] [--no-idle]
       capture.py --port N [--tls-port N] [--cafile PEM] [--user U] [--password P] [--no-idle]

With a MANIFEST, host, ports, the certificate (state_dir/cert), the first user and the
password come from it; IMAP_PORT / IMAPS_PORT override the ports as they do for `start`.
Steps, stdlib only, every TLS handshake verified against the target's own certificate:
  plain port   greeting, CAPABILITY, LOGIN, CAPABILITY, NAMESPACE (when advertised),
               LIST "" "", IDLE push latency (when IDLE is advertised and INBOX is
               empty: a second session APPENDs, STOREs a flag and EXPUNGEs while the
               first IDLEs, 3 rounds; the worst of the nine), LOGOUT
  plain port   when STARTTLS is advertised: STARTTLS, handshake, CAPABILITY, LOGOUT
  TLS port     when there is one: handshake, greeting, LOGOUT
Prints the captured keys as TOML; --write stores them in MANIFEST (the other keys are
kept, and so is push_latency_ms when it was not measured; the file is rewritten in the
canonical order). Progress goes to stderr. Exit 1 when a step fails.
"""
import argparse
import json
import math
import os
import re
import socket
import ssl
import sys
import time
import tomllib

TIMEOUT = 10
IDLE_ROUNDS = 3
IDLE_WAIT_S = 5.0
CAPTURED = ["starttls", "namespace_prefix", "delimiter", "greeting",
            "capabilities_pre_auth", "capabilities_post_auth", "push_latency_ms"]
ORDER = ["name", "server", "host", "plain_port", "tls_port", "starttls", "state_dir", "cert",
         "users", "password", "namespace_prefix", "delimiter", "greeting",
         "capabilities_pre_auth", "capabilities_post_auth", "push_latency_ms", "quirks"]
HEADER = """\
# imapgate target manifest, read by the harness (see targets/README.md).
# starttls, namespace_prefix, delimiter, greeting, capabilities_* and push_latency_ms are
# captured from the running server by `targets/lib/capture.py MANIFEST --write`.
"""
QUOTED = r'"((?:[^"\\]|\\.)*)"'
NOT_MEASURED = object()


class Failed(Exception):
    """A step of the capture failed: the server did not do what the step needs."""


class Conn:
    """One IMAP connection: lines (literals inlined), tagged commands."""

    def __init__(self, host, port, tls_ctx=None):
        self.host = host
        self.sock = socket.create_connection((host, port), timeout=TIMEOUT)
        if tls_ctx:
            self.sock = tls_ctx.wrap_socket(self.sock, server_hostname=host)
        self.buf = b""
        self.tags = 0

    def _raw_line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Failed("connection closed by the server")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def read_line(self):
        line = self._raw_line()
        while m := re.search(rb"\{(\d+)\+?\}$", line):
            size = int(m.group(1))
            while len(self.buf) < size:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise Failed("connection closed inside a literal")
                self.buf += chunk
            literal, self.buf = self.buf[:size], self.buf[size:]
            line += b"\r\n" + literal + self._raw_line()
        return line.decode("utf-8", "replace")

    def send(self, data):
        self.sock.sendall(data.encode() if isinstance(data, str) else data)

    def command(self, text, literal=None):
        """Send a command; return (untagged lines, tagged line); Failed unless OK."""
        self.tags += 1
        tag = f"c{self.tags}"
        untagged = []
        if literal is None:
            self.send(f"{tag} {text}\r\n")
        else:
            self.send(f"{tag} {text} {{{len(literal)}}}\r\n")
            self.wait_continuation(untagged)
            self.send(literal + b"\r\n")
        while True:
            line = self.read_line()
            if line.startswith(tag + " "):
                if not line[len(tag) + 1:].upper().startswith("OK"):
                    raise Failed(f"{text.split()[0]}: {line}")
                return untagged, line
            untagged.append(line)

    def wait_continuation(self, untagged):
        while True:
            line = self.read_line()
            if line.startswith("+"):
                return
            if re.match(r"c\d+ ", line):
                raise Failed(f"no continuation: {line}")
            untagged.append(line)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def capabilities(lines):
    for line in lines:
        if line.upper().startswith("* CAPABILITY "):
            return line.split()[2:]
    raise Failed("no * CAPABILITY response")


def personal_namespace(lines):
    """(prefix, delimiter) of the first personal namespace, or None."""
    for line in lines:
        m = re.match(rf"\* NAMESPACE \(\({QUOTED} (?:NIL|{QUOTED})\)", line, re.I)
        if m:
            return m.group(1), m.group(2) or ""
    return None


def list_delimiter(lines):
    for line in lines:
        m = re.match(rf"\* LIST \([^)]*\) (?:NIL|{QUOTED}) ", line, re.I)
        if m:
            return m.group(1) or ""
    raise Failed('no * LIST response to LIST "" ""')


def say(ok, what):
    print(f"{'ok  ' if ok else 'FAIL'} {what}", file=sys.stderr)


def login(conn, user, password):
    conn.command(f"LOGIN {quote(user)} {quote(password)}")


def message(n):
    return (f"From: capture@localhost\r\nTo: user@localhost\r\nSubject: capture {n}\r\n"
            f"Message-ID: <capture-{os.getpid()}-{n}@imapgate.invalid>\r\n\r\nhello {n}\r\n").encode()


# The changes whose pushes the harness judges (push.rs, push_flags.rs), each timed from the
# moment the changing command is sent (for APPEND: its literal) to the idler's line.
KINDS = [("APPEND", r"\* \d+ EXISTS"), ("STORE", r"\* 1 FETCH .*\\Flagged"), ("EXPUNGE", r"\* \d+ EXPUNGE")]


def idle_latency(a, host, port, user, password):
    """Worst latency (s) over IDLE_ROUNDS and the three KINDS; None when not even an APPEND
    is pushed; NOT_MEASURED when INBOX holds mail (only our own is expunged).

    The worst kind sets the bound: Courier pushes an APPEND in 0.1 s but an EXPUNGE in 1 s,
    and a bound taken from the APPEND alone judged its EXPUNGE pushes late under load."""
    untagged, _ = a.command("SELECT INBOX")
    exists = [int(l.split()[1]) for l in untagged if re.match(r"\* \d+ EXISTS", l, re.I)]
    if exists and exists[-1] != 0:
        print(f"warn IDLE latency not measured: INBOX of {user} holds {exists[-1]} messages",
              file=sys.stderr)
        return NOT_MEASURED
    b = Conn(host, port)
    b.read_line()
    login(b, user, password)
    b.command("SELECT INBOX")
    rounds = {kind: [] for kind, _ in KINDS}
    try:
        for n in range(1, IDLE_ROUNDS + 1):
            # One IDLE per round: a change soon after a push is the slow case (Courier
            # pushes the first change in 0.1 s and the next ones about a second apart).
            a.tags += 1
            tag = f"c{a.tags}"
            a.send(f"{tag} IDLE\r\n")
            a.wait_continuation([])
            for kind, pattern in KINDS:
                rounds[kind].append(timed_push(a, b, start_change(b, kind, n), pattern))
                if kind == "APPEND":
                    b.command("NOOP")     # B learns the message it stores and expunges next
                if kind == "STORE":
                    b.command("STORE 1 +FLAGS.SILENT (\\Deleted)")
            a.send("DONE\r\n")
            while not a.read_line().startswith(tag + " "):
                pass
        b.command("LOGOUT")
    finally:
        b.close()
    shown = lambda ts: " ".join("none" if t is None else f"{t * 1000:.0f}" for t in ts)
    say(True, "IDLE push latency (ms): " + ", ".join(f"{k} {shown(ts)}" for k, ts in rounds.items()))
    if None in rounds["APPEND"]:
        return None
    return max(t for ts in rounds.values() for t in ts if t is not None)


def start_change(b, kind, n):
    """Send B's change of this kind; return its tag once the change is on its way."""
    b.tags += 1
    tag = f"c{b.tags}"
    if kind == "APPEND":
        literal = message(n)
        b.send(f"{tag} APPEND INBOX {{{len(literal)}}}\r\n")
        b.wait_continuation([])
        b.send(literal + b"\r\n")
    else:
        command = "STORE 1 +FLAGS.SILENT (\\Flagged)" if kind == "STORE" else kind
        b.send(f"{tag} {command}\r\n")
    return tag


def timed_push(a, b, btag, pattern):
    """A idles while B's change (btag, just sent) is carried out: seconds until A sees
    pattern, else None."""
    t0 = time.monotonic()
    pushed = None
    deadline = t0 + IDLE_WAIT_S
    try:
        while pushed is None and time.monotonic() < deadline:
            a.sock.settimeout(max(0.01, deadline - time.monotonic()))
            if re.match(pattern, a.read_line(), re.I):
                pushed = time.monotonic() - t0
    except (socket.timeout, TimeoutError):
        pass
    finally:
        a.sock.settimeout(TIMEOUT)
    while not (line := b.read_line()).startswith(btag + " "):
        pass
    if not line[len(btag) + 1:].upper().startswith("OK"):
        raise Failed(f"{pattern}: {line}")
    return pushed


def capture_plain(host, port, user, password, measure_idle):
    out = {}
    a = Conn(host, port)
    try:
        out["greeting"] = a.read_line()
        if not out["greeting"].startswith("* OK"):
            raise Failed(f"greeting: {out['greeting']}")
        say(True, f"{port} greeting: {out['greeting']}")
        out["capabilities_pre_auth"] = capabilities(a.command("CAPABILITY")[0])
        login(a, user, password)
        say(True, f"{port} LOGIN {user}")
        post = out["capabilities_post_auth"] = capabilities(a.command("CAPABILITY")[0])
        upper = {c.upper() for c in post}
        namespace = personal_namespace(a.command("NAMESPACE")[0]) if "NAMESPACE" in upper else None
        delimiter = list_delimiter(a.command('LIST "" ""')[0])
        if namespace and namespace[1] != delimiter:
            say(False, f"NAMESPACE delimiter {namespace[1]!r} != LIST delimiter {delimiter!r}")
        out["namespace_prefix"] = namespace[0] if namespace else ""
        out["delimiter"] = delimiter
        latency = None                    # not advertised: the server never pushes
        if "IDLE" in upper:
            latency = idle_latency(a, host, port, user, password) if measure_idle else NOT_MEASURED
        if latency is not NOT_MEASURED:
            out["push_latency_ms"] = None if latency is None else max(50, math.ceil(latency * 20) * 50)
        a.command("LOGOUT")
    finally:
        a.close()
    return out


def check_starttls(host, port, ctx):
    conn = Conn(host, port)
    try:
        conn.read_line()
        conn.command("STARTTLS")
        conn.sock = ctx.wrap_socket(conn.sock, server_hostname=host)
        version = conn.sock.version()
        caps = capabilities(conn.command("CAPABILITY")[0])
        conn.command("LOGOUT")
    finally:
        conn.close()
    say(True, f"{port} STARTTLS ({version}{verified(ctx)}); "
              f"CAPABILITY then: {' '.join(caps)}")


def check_tls(host, port, ctx):
    conn = Conn(host, port, ctx)
    try:
        version = conn.sock.version()
        greeting = conn.read_line()
        if not greeting.startswith("* OK"):
            raise Failed(f"TLS greeting: {greeting}")
        conn.command("LOGOUT")
    finally:
        conn.close()
    say(True, f"{port} implicit TLS ({version}{verified(ctx)}): {greeting}")


def verified(ctx):
    return ", certificate verified" if ctx.verify_mode == ssl.CERT_REQUIRED else ""


def tls_context(cafile):
    if not cafile:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    return ssl.create_default_context(cafile=cafile)


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    items = [toml_value(v) for v in value]
    one_line = "[" + ", ".join(items) + "]"
    if len(one_line) <= 80:
        return one_line
    lines, line = [], ""
    for item in items:
        if line and len(line) + len(item) + 2 > 88:
            lines.append(line.rstrip())
            line = ""
        line += item + ", "
    lines.append(line.rstrip().rstrip(","))
    return "[\n" + "".join(f"    {l}\n" for l in lines) + "]"


def toml_lines(values, keys):
    return "".join(f"{k} = {toml_value(values[k])}\n" for k in keys if values.get(k) is not None)


def write_manifest(path, manifest, captured):
    manifest = {**manifest, **captured}
    if "push_latency_ms" in captured and captured["push_latency_ms"] is None:
        del manifest["push_latency_ms"]             # measured: the server never pushes
    keys = [k for k in ORDER if k in manifest] + [k for k in manifest if k not in ORDER]
    quirks = manifest.get("quirks")
    text = HEADER + toml_lines(manifest, [k for k in keys if k != "quirks"])
    if quirks == []:
        text += "quirks = []\n"
    elif quirks is not None:
        text += "quirks = [\n" + "".join(f"    {toml_value(q)},\n" for q in quirks) + "]\n"
    tomllib.loads(text)
    with open(path, "w") as f:
        f.write(text)
    say(True, f"wrote {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("manifest", nargs="?")
    ap.add_argument("--write", action="store_true", help="store the captured keys in MANIFEST")
    ap.add_argument("--host")
    ap.add_argument("--port", type=int)
    ap.add_argument("--tls-port", type=int)
    ap.add_argument("--state-dir")
    ap.add_argument("--cafile")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--no-idle", action="store_true", help="do not measure IDLE push latency")
    a = ap.parse_args()
    m = {}
    if a.manifest:
        with open(a.manifest, "rb") as f:
            m = tomllib.load(f)
    elif a.write:
        ap.error("--write needs a MANIFEST")
    env_port = lambda k: int(os.environ[k]) if os.environ.get(k) else None
    host = a.host or m.get("host", "127.0.0.1")
    port = a.port or env_port("IMAP_PORT") or m.get("plain_port")
    tls_port = a.tls_port or env_port("IMAPS_PORT") or m.get("tls_port")
    state = a.state_dir or m.get("state_dir")
    cafile = a.cafile or (os.path.join(state, m.get("cert", "cert.pem")) if state else None)
    user = a.user or (m.get("users") or ["user1"])[0]
    password = a.password or os.environ.get("IMAP_PASSWORD") or m.get("password", "pass")
    if not port:
        ap.error("no port: give MANIFEST or --port")
    ctx = tls_context(cafile)
    try:
        captured = capture_plain(host, port, user, password, not a.no_idle)
        captured["starttls"] = "STARTTLS" in {c.upper() for c in captured["capabilities_pre_auth"]}
        if captured["starttls"]:
            check_starttls(host, port, ctx)
        if tls_port:
            check_tls(host, tls_port, ctx)
    except (Failed, OSError, ssl.SSLError) as e:
        say(False, f"{m.get('name', host)}: {e}")
        sys.exit(1)
    sys.stdout.write(toml_lines(captured, CAPTURED))
    if a.write:
        write_manifest(a.manifest, m, captured)


if __name__ == "__main__":
    main()
