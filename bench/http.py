"""A tiny load generator on the standard library: N threads, each with its own logged-in session."""
import gzip
import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode


class Session:
    """One keep-alive connection with a cookie jar, enough to log in and fetch pages."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        path = quote(path, safe="/?=&%:")
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.setdefault("Accept-Encoding", "identity")
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, data

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
        body = urlencode({"username": username, "password": password, "csrf_token": token}).encode()
        status, _ = self.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise RuntimeError(f"login as {username} failed: {status}")


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    bytes_raw: int
    bytes_gzip: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0


def load(name: str, host: str, port: int, path: str, user: tuple[str, str] | None,
         concurrency: int, seconds: float) -> Result:
    """Every thread logs in (when a user is given) and fetches `path` in a loop for `seconds`."""
    sessions = [Session(host, port) for _ in range(concurrency)]
    if user:
        for s in sessions:
            s.login(*user)
    latencies: list[float] = []
    errors = [0]
    sizes = [0, 0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    start = threading.Barrier(concurrency + 1)

    def worker(session: Session):
        local, bad = [], 0
        start.wait()
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            status, body = session.request("GET", path)
            local.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                bad += 1
            elif not sizes[0]:
                sizes[0], sizes[1] = len(body), len(gzip.compress(body, 6))
        with lock:
            latencies.extend(local)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return Result(name, len(latencies), errors[0], time.perf_counter() - began, latencies, sizes[0], sizes[1])
