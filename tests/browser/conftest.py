"""Browser tests: the real app served on a free port, Debian's Chromium driven by Playwright.

`live_server` runs one app for the whole session on a seeded SQLite file (the demo city, small),
so tests log in as the demo users. Tests must create their own data with unique values: the server
is shared. Every test in this folder is marked `browser`.
"""
import threading
from datetime import date

import pytest
from werkzeug.serving import make_server

from fieldsvc import create_app
from fieldsvc.core import demo
from fieldsvc.extensions import db
from tests.conftest import make_test_config

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # A real browser on a shared 2-core machine now and then misses a 30 s wait: one retry, no more.
            # A test that fails twice is a real failure.
            item.add_marker(pytest.mark.flaky(reruns=1))


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    config = make_test_config(f"sqlite:///{folder / 'live.db'}", folder / "instance")
    config.update(WTF_CSRF_ENABLED=True, TESTING=False)  # the browser goes through CSRF like a user
    app = create_app(config)
    with app.app_context():
        db.create_all()
        demo.seed("small", date.today())
        db.session.commit()
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.base_url


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync"]}


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
            "locale": "zh-CN"}


def log_in(page, base_url, username, password=demo.DEMO_PASSWORD):
    page.goto(f"{base_url}/login")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
