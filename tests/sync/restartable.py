"""A server a test can kill in the middle of a sync and start again on the same port.

The shared `live_server` of the browser tests must never stop; this one is made per test, on its own
SQLite file, so a test can crash it at the worst moment: the Nth counted request is handled in full (its
record committed) and then the connection is cut before the answer leaves and the server goes down, as a
process killed right after its commit would. Requests meanwhile are refused (connection refused), until
`start()` listens on the same port again (the phone's outbox knows only that address).
"""
import contextlib
import socket
import threading
from collections.abc import Callable
from datetime import date

from werkzeug.serving import make_server

from fieldsvc import create_app
from fieldsvc.extensions import db
from tests import factories
from tests.conftest import make_test_config


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RestartableServer:
    def __init__(self, app, port: int | None = None):
        self.app = app
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._server = None
        self._thread = None
        self._lock = threading.Lock()
        self.counts: Callable[[dict], bool] = lambda environ: False  # which requests count towards the crash
        self.crash_after: int | None = None  # crash once this many counted requests were handled
        self.counted = 0
        self.crashed = threading.Event()
        self.down = False  # crashed and not started again: whatever still arrives gets no answer

    # --- the server itself ----------------------------------------------------------------------------
    def start(self) -> None:
        self.down = False
        self._server = make_server("127.0.0.1", self.port, self._wsgi, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()  # the port is free again: nothing listens until start()
            with self.app.app_context():
                db.engine.dispose()  # a dead process keeps no database connections either

    @property
    def running(self) -> bool:
        return self._server is not None

    # --- the crash ------------------------------------------------------------------------------------
    def crash_after_requests(self, n: int, counts: Callable[[dict], bool]) -> None:
        """Handle n counted requests, then cut the nth one's connection before it is answered and stop."""
        with self._lock:
            self.counts, self.crash_after, self.counted = counts, n, 0
            self.crashed.clear()

    def _go_down(self) -> None:
        self.stop()
        self.crashed.set()

    @staticmethod
    def _cut(environ) -> None:
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # the answer never leaves

    def _wsgi(self, environ, start_response):
        if self.down:  # between the crash and the listening socket closing: no answer either
            self._cut(environ)
            start_response("503 Service Unavailable", [("Content-Length", "0")])
            return [b""]
        if self.crash_after is None or not self.counts(environ):
            return self.app(environ, start_response)
        captured = {}

        def keep(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.app(environ, keep))  # the request runs to its end: its commit is done
        with self._lock:
            self.counted += 1
            crash = self.counted == self.crash_after
            if crash:
                self.crash_after = None
        if crash:
            self.down = True
            self._cut(environ)
            threading.Thread(target=self._go_down, daemon=True).start()
        start_response(captured["status"], captured["headers"])
        return [body]


def make_app(folder, **extra):
    """An app on its own SQLite file with the demo districts and staff (no customers: tests add theirs)."""
    config = make_test_config(f"sqlite:///{folder / 'restart.db'}", folder / "instance")
    config.update(extra)
    app = create_app(config)
    with app.app_context():
        db.create_all()
        factories.staff(date.today())
        db.session.remove()
    return app
