"""Where a key page's time goes under gunicorn: py-spy samples the workers while `bench.run`'s load drives one page.

    python -m bench.profile "chief's board" [--db postgres] [--seconds 8] [--top 40]

Uses the databases a previous `bench.run --db … --size city` seeded (run that first). Prints the page's
throughput and latency under the profiler, then the share of request samples spent inside each frame
(inclusive, like a flame graph's widths) and at the top of the stack (self). Sampling costs the workers a
little: compare pages with each other, not with `bench.run`'s figures.
"""
import argparse
import collections
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.http import load
from bench.pages import KEY_PAGES
from bench.run import PASSWORD, ROOT, VENV_BIN, database_url, env_for, free_port, resolve, serve

IN_REQUEST = "Flask.wsgi_app"  # samples outside a request (the worker waiting for one) are left out
LOGGING_IN = "check_password_hash"  # each client's login before the load: not the page's time


def frame_name(frame: str) -> str:
    """'fn (path/to/file.py:12)' → 'fn file.py:12'."""
    name, _sep, where = frame.partition(" (")
    return f"{name} {where.rstrip(')').rsplit('/', 1)[-1]}" if where else name


def summarise(raw: Path, top: int) -> str:
    total, inclusive, own = 0, collections.Counter(), collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _sep, count = line.rpartition(" ")
        frames = [frame_name(f) for f in stack.split(";")]
        first = next((i for i, f in enumerate(frames) if f.startswith(IN_REQUEST)), None)
        if first is None or any(f.startswith(LOGGING_IN) for f in frames):
            continue
        frames, n = frames[first:], int(count)
        total += n
        inclusive.update({f: n for f in dict.fromkeys(frames)})
        own[frames[-1]] += n
    if not total:
        return "no request samples (is py-spy allowed to attach? it needs ptrace)"
    rows = [f"{100 * n / total:5.1f} %  {f}" for f, n in inclusive.most_common(top)]
    rows += ["", "at the top of the stack:"] + [f"{100 * n / total:5.1f} %  {f}" for f, n in own.most_common(20)]
    return f"{total} samples in requests\n" + "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("page", choices=[name for name, _user, _path in KEY_PAGES])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--size", choices=["small", "city"], default="city")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    url = database_url(args.db, args.size, out, reuse=True)
    if url is None:
        print(f"no seeded {args.size} database: run `python -m bench.run --db {args.db} --size {args.size}` first",
              file=sys.stderr)
        return 1
    _name, user, path = next(p for p in KEY_PAGES if p[0] == args.page)
    path = path.format(**resolve(url))
    credentials = (user, PASSWORD) if user else None
    port = free_port()
    proc = serve(env_for(url, out), port)
    raw = Path(tempfile.mkdtemp()) / "samples.txt"
    try:
        load("warm-up", "127.0.0.1", port, path, credentials, args.concurrency, 2)
        spy = subprocess.Popen([str(VENV_BIN / "py-spy"), "record", "--pid", str(proc.pid), "--subprocesses",
                                "--format", "raw", "--rate", "200", "--nonblocking", "-o", str(raw)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)  # py-spy attaches to the workers
        result = load(args.page, "127.0.0.1", port, path, credentials, args.concurrency, args.seconds)
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=30)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    print(f"{args.page} ({path}) under py-spy: {result.throughput:.0f} req/s, p50 {result.p50:.1f} ms, "
          f"p95 {result.pct(0.95):.1f} ms, {result.errors} errors")
    print(summarise(raw, args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
