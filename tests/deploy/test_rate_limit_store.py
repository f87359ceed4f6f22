"""The shared rate-limit store (Redis in production) going away must not lock everybody out: while it is
unreachable each worker counts in its own memory, and the throttle still bites."""
import pytest

from fieldsvc import create_app
from fieldsvc.extensions import db, limiter
from tests.conftest import DEMO_PASSWORD, make_test_config

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def app_with_dead_store(app, tmp_path):
    config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    config.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI=UNREACHABLE)
    dead = create_app(config)
    yield dead
    with dead.app_context():
        db.engine.dispose()
    # The limiter is one extension object shared by every app of the session: leave it off, and not
    # marked as running on its fallback (a reset would try to reach the dead store).
    limiter.enabled = False
    limiter._storage_dead = False


def test_the_fallback_is_on_by_default(app):
    assert app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True


def test_logins_work_and_are_throttled_while_the_store_is_down(staff, app_with_dead_store):
    director = app_with_dead_store.test_client()
    assert director.post("/login", data={"username": "director", "password": DEMO_PASSWORD}).status_code == 302
    client = app_with_dead_store.test_client()
    codes = [client.post("/login", data={"username": "repair_tech", "password": "bad"},
                         environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
