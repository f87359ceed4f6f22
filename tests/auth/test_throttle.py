"""One throttle for both password doors (issue 23, item 4): /login and POST /api/v1/auth/token share their
counts per address and per account, and a per-(address, account) bucket keeps one address from locking the
real user out.

The probe: 24 wrong passwords for one user from 3 addresses at the token endpoint → 24 × 401 (no per-account
limit there, and its counts were not /login's); 10 bad attempts from one address locked the user out
everywhere for a minute."""
import pytest

from fieldsvc import create_app
from fieldsvc.auth import throttle
from fieldsvc.extensions import db, limiter
from tests.conftest import DEMO_PASSWORD, make_test_config


@pytest.fixture
def limited(app, tmp_path):
    """limited(limit) → a test client of an app on the session's database with the throttle on."""
    made = []

    def _make(limit: str = "10 per minute"):
        config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
        config.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT=limit,
                      RATELIMIT_STORAGE_URI=f"memory://{tmp_path.name}")
        other = create_app(config)
        made.append(other)
        return other.test_client()
    yield _make
    for other in made:
        with other.app_context():
            db.engine.dispose()
    limiter.reset()
    limiter.enabled = False


def _page(client, address, username="director", password="wrong-password"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}).status_code


def _token(client, address, username="director", password="wrong-password"):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_the_probe_24_wrong_passwords_from_3_addresses_are_throttled(staff, limited):
    client = limited()
    codes = [_token(client, f"198.51.100.{i % 3 + 1}") for i in range(24)]
    assert codes[:10] == [401] * 10  # the account's 10, each address giving at most half of them
    assert set(codes[10:]) == {429}
    assert _token(client, "198.51.100.1", password=DEMO_PASSWORD) == 429  # even the right password
    assert _page(client, "198.51.100.9", password=DEMO_PASSWORD) == 429  # and at the other door


def test_one_address_cannot_lock_the_real_user_out(staff, limited):
    client = limited()
    attacker, user = "203.0.113.66", "192.0.2.10"
    codes = [_page(client, attacker) for _ in range(12)]
    assert codes == [401] * 10 + [429] * 2
    assert _page(client, attacker, password=DEMO_PASSWORD) == 429  # the attacker's address stays shut
    assert _token(client, attacker, password=DEMO_PASSWORD) == 429  # at both doors
    assert _page(client, user, password=DEMO_PASSWORD) == 302  # the real user, elsewhere, gets in
    assert _token(client, user, password=DEMO_PASSWORD) == 200


def test_both_doors_share_the_counts(staff, limited):
    client = limited("4 per minute")
    codes = [_page(client, "192.0.2.1"), _token(client, "192.0.2.1"), _page(client, "192.0.2.1"),
             _token(client, "192.0.2.1"), _page(client, "192.0.2.1"), _token(client, "192.0.2.1")]
    assert codes == [401, 401, 401, 401, 429, 429]


def test_one_address_trying_many_accounts_is_throttled_at_both_doors(staff, limited):
    client = limited("4 per minute")
    codes = [(_page if i % 2 else _token)(client, "192.0.2.7", username=f"nobody{i}") for i in range(6)]
    assert codes == [401] * 4 + [429] * 2
    assert _page(client, "192.0.2.8", username="nobody9") == 401  # another address is not affected


def test_the_account_limit_spans_addresses_and_doors(staff, limited):
    client = limited("4 per minute")  # an address gives at most 2 attempts to the account's count
    codes = [(_page if i % 2 else _token)(client, f"192.0.2.{20 + i}") for i in range(5)]
    assert codes == [401] * 4 + [429]


def test_usernames_are_counted_as_the_login_compares_them(staff, limited):
    client = limited("2 per minute")
    assert [_page(client, "192.0.2.30", username=name) for name in ("Director", " director ", "DIRECTOR")] \
        == [401, 401, 429]


def test_a_refusal_says_why(staff, limited):
    client = limited("1 per minute")
    _page(client, "192.0.2.40")
    page = client.post("/login", data={"username": "director", "password": "x"},
                       environ_base={"REMOTE_ADDR": "192.0.2.40"}, headers={"Accept-Language": "en"})
    assert page.status_code == 429
    assert "Too many attempts" in page.get_data(as_text=True)
    api = client.post("/api/v1/auth/token", json={"username": "director", "password": "x"},
                      environ_base={"REMOTE_ADDR": "192.0.2.40"})
    assert api.status_code == 429 and "error" in api.json


def test_a_store_outage_counts_in_memory_instead_of_failing(staff, limited, monkeypatch):
    client = limited("2 per minute")

    class Down:
        def __getattr__(self, name):
            raise ConnectionError("redis went away")
    monkeypatch.setattr(type(limiter), "limiter", property(lambda self: Down()))
    assert [_page(client, "192.0.2.50") for _ in range(3)] == [401, 401, 429]


@pytest.mark.parametrize(("username", "key"), [
    ("Director", "director"), ("  wang.li ", "wang.li"), ("", ""), (None, ""), (42, ""), (["x"], ""),
    ("a/b c", "a%2Fb%20c"), ("x" * 500, "x" * 150),
])
def test_account_key(username, key):
    assert throttle.account_key(username) == key


@pytest.mark.parametrize(("amount", "share"), [(1, 1), (2, 1), (3, 1), (4, 2), (10, 5), (11, 5)])
def test_an_address_gives_at_most_half_the_account_limit(amount, share):
    assert throttle.account_share(amount) == share
