#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal and plays a script against it, as an operator at a keyboard.

Reads JSON on stdin: {"argv": [...], "cwd": str, "env": {...}, "rows": int, "cols": int,
"steps": [{"wait": regex, "send": str, "pause": seconds}], "timeout": seconds}. Each step waits until
`wait` matches the screen text (ANSI escapes removed) printed since the previous match, then sends
`send`. Prints JSON: {"code": exit code (128+signal when killed), "transcript": text, "failed": step
index or null, "error": str or null}.
"""
import fcntl, json, os, re, select, signal, struct, subprocess, sys, termios, time

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\r")


def main():
    spec = json.load(sys.stdin)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", spec.get("rows", 50), spec.get("cols", 200), 0, 0))

    def become_session_leader():
        # A controlling terminal, so Ctrl+C in cooked mode raises SIGINT as in a real shell.
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(spec["argv"], cwd=spec.get("cwd"), env=spec.get("env"), stdin=slave, stdout=slave, stderr=slave,
                             preexec_fn=become_session_leader, close_fds=True)
    os.close(slave)
    raw = b""
    seen = 0  # screen text before this offset has been matched already
    deadline = time.time() + spec.get("timeout", 60)
    result = {"failed": None, "error": None}

    def pump(wait):
        nonlocal raw
        ready, _, _ = select.select([master], [], [], wait)
        if not ready:
            return True
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        raw += chunk
        return True

    for i, step in enumerate(spec["steps"]):
        pattern = re.compile(step["wait"]) if step.get("wait") else None
        while pattern:
            text = ANSI.sub("", raw.decode("utf8", "replace"))
            m = pattern.search(text, seen)
            if m:
                seen = m.end()
                break
            if time.time() > deadline or not pump(0.1) and child.poll() is not None:
                result.update(failed=i, error=f"step {i}: no match for {step['wait']!r}")
                break
        if result["failed"] is not None:
            break
        time.sleep(step.get("pause", 0.15))
        os.write(master, step.get("send", "").encode())

    while child.poll() is None and time.time() < deadline:
        pump(0.1)
    if child.poll() is None:
        child.kill()
        result["error"] = result["error"] or "timed out waiting for exit"
    while pump(0.05) and select.select([master], [], [], 0)[0]:
        pass
    code = child.wait()
    result["code"] = 128 - code if code < 0 else code
    result["transcript"] = ANSI.sub("", raw.decode("utf8", "replace"))
    print(json.dumps(result))


main()
