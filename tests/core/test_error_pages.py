"""The 500 answer as production gives it (TESTING and PROPAGATE_EXCEPTIONS off): a page in the user's
language, `{"error": ...}` on /api/, no traceback or exception text, and the request's writes rolled back."""
import pytest
from sqlalchemy import select

from fieldsvc import create_app
from fieldsvc.customers.models import Customer, District
from tests.conftest import FreshGClient, make_test_config

SECRET = "internal detail that must not leak 7f3a"
ACCOUNT_NO = "59000500"


@pytest.fixture
def production(app, db, staff):
    """A second app on the same database, configured as in production, with routes that write then fail."""
    config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False, DEBUG=False)
    other = create_app(config)
    other.test_client_class = FreshGClient
    district_id = staff["director"].district_id or db.session.scalar(select(District.id).order_by(District.code))

    def write_then_fail():
        # A half-done change: flushed (so it is in the transaction), then an unexpected error.
        db.session.add(Customer(account_no=ACCOUNT_NO, name="回滚", category="residential", gas="NG",
                                district_id=district_id, address="回滚路1号"))
        db.session.flush()
        raise RuntimeError(SECRET)

    other.add_url_rule("/boom", "boom", write_then_fail)
    other.add_url_rule("/api/v1/boom", "api_boom", write_then_fail)
    db.session.commit()  # end the test's transaction: the other app's request needs the write lock
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _stored(db) -> bool:
    db.session.rollback()  # see what is committed now, not this session's snapshot
    return db.session.scalar(select(Customer.id).where(Customer.account_no == ACCOUNT_NO)) is not None


@pytest.mark.parametrize(("language", "words", "not_words"), [
    ("zh-CN", "系统出错，未保存任何内容，请重试。", "Something went wrong"),
    ("en", "Something went wrong on our side. Nothing was saved; please try again.", "系统出错"),
])
def test_page_500_in_the_users_language(production, db, language, words, not_words):
    response = production.test_client().get("/boom", headers={"Accept-Language": language})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert words in body and not_words not in body
    assert f'<html lang="{language}"' in body
    assert SECRET not in body and "Traceback" not in body and "RuntimeError" not in body
    assert not _stored(db)


def test_logged_in_users_language_wins(production, db, staff):
    staff["director"].locale = "en"
    db.session.commit()
    client = production.test_client()
    assert client.post("/login", data={"username": "director", "password": "fieldsvc-demo"}).status_code == 302
    body = client.get("/boom", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Something went wrong on our side." in body and "系统出错" not in body


@pytest.mark.parametrize(("language", "message"), [
    ("zh-CN", "系统出错，未保存任何内容，请重试。"),
    ("en", "Something went wrong on our side. Nothing was saved; please try again."),
])
def test_api_500_is_json(production, db, language, message):
    response = production.test_client().get("/api/v1/boom", headers={"Accept-Language": language})
    assert response.status_code == 500
    assert response.is_json and response.json == {"error": message}
    assert SECRET not in response.get_data(as_text=True)
    assert not _stored(db)


def test_the_test_app_propagates_instead(app, client):
    """The suite's own app lets errors through (so tests see them): the handler above is production's."""
    assert app.testing and not any(
        Exception in handlers for handlers in app.error_handler_spec[None].values())
