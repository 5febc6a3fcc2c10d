#!/usr/bin/env python3
"""The processes of one running target instance, found from its state dir, never by name.

usage: instance.py record STATE     after start: remember sessions + mount namespace
       instance.py list STATE       print the pids of the instance's live processes
       instance.py stop STATE [--timeout 10]
                                    TERM them all, KILL what is left after the timeout

An instance's processes are: the pids in STATE/pid and STATE/*.pid; every process in a
session led by one of them at start (servers are started with setsid, or daemonize);
every process in the private mount namespace recorded at start (Courier); and all
descendants of these. Linux /proc only; zombies count as gone.
"""
import argparse
import glob
import os
import signal
import sys
import time

INSTANCE_FILE = "instance"


def stat(pid):
    """(ppid, sid, state) of pid, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), int(fields[3]), fields[0]


def mntns(pid):
    try:
        return os.readlink(f"/proc/{pid}/ns/mnt")
    except OSError:
        return None


def live(pid):
    st = stat(pid)
    return st is not None and st[2] not in ("Z", "X")


def recorded_pids(state):
    pids = set()
    for path in [os.path.join(state, "pid")] + glob.glob(os.path.join(state, "*.pid")):
        try:
            with open(path) as f:
                pids.add(int(f.read().strip()))
        except (OSError, ValueError):
            pass
    return pids


def read_instance(state):
    sids, ns = set(), None
    try:
        with open(os.path.join(state, INSTANCE_FILE)) as f:
            for line in f:
                kind, _, value = line.strip().partition(" ")
                if kind == "sid":
                    sids.add(int(value))
                elif kind == "mntns":
                    ns = value
    except (OSError, ValueError):
        pass
    return sids, ns


def record(state):
    own_ns = mntns(os.getpid())
    lines = []
    for pid in sorted(recorded_pids(state)):
        st = stat(pid)
        if st is None:
            continue
        if st[1] == pid:                      # a session leader: its session is ours
            lines.append(f"sid {pid}")
        ns = mntns(pid)
        if ns and ns != own_ns and f"mntns {ns}" not in lines:
            lines.append(f"mntns {ns}")
    with open(os.path.join(state, INSTANCE_FILE), "w") as f:
        f.write("".join(line + "\n" for line in lines))


def members(state):
    roots = {p for p in recorded_pids(state) if live(p)}
    sids, ns = read_instance(state)
    children = {}
    found = set(roots)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        st = stat(pid)
        if st is None or st[2] in ("Z", "X") or pid == os.getpid():
            continue
        children.setdefault(st[0], []).append(pid)
        if st[1] in sids or (ns is not None and mntns(pid) == ns):
            found.add(pid)
    todo = list(found)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def signal_all(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def stop(state, timeout):
    roots = recorded_pids(state)
    procs = members(state)
    termed, killed = set(procs), set()
    signal_all(sorted(procs, key=lambda p: p not in roots), signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while procs and time.monotonic() < deadline:
        time.sleep(0.05)
        procs = members(state)
        signal_all(procs - termed, signal.SIGTERM)   # spawned meanwhile
        termed |= procs
    if procs:
        killed = set(procs)
        signal_all(procs, signal.SIGKILL)
        end = time.monotonic() + 2
        while any(live(p) for p in killed) and time.monotonic() < end:
            time.sleep(0.05)
    for path in [os.path.join(state, "pid"), os.path.join(state, INSTANCE_FILE)] + \
            glob.glob(os.path.join(state, "*.pid")):
        try:
            os.remove(path)
        except OSError:
            pass
    left = [p for p in termed if live(p)]
    if termed:
        print(f"stopped {state}: {len(termed)} processes, {len(killed)} needed KILL"
              + (f", STILL ALIVE: {left}" if left else ""), file=sys.stderr)
    return 1 if left else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["record", "list", "stop"])
    ap.add_argument("state")
    ap.add_argument("--timeout", type=float, default=10)
    a = ap.parse_args()
    state = os.path.abspath(a.state)
    if a.action == "record":
        record(state)
    elif a.action == "list":
        for pid in sorted(members(state)):
            print(pid)
    else:
        sys.exit(stop(state, a.timeout))


if __name__ == "__main__":
    main()
