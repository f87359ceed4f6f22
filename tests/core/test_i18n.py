"""Both languages are complete: every message in the code and templates has a zh_CN translation."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHODS = [("fieldsvc/**.py", "python"), ("templates/**.html", "jinja2")]


def _extracted() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog(locale: str):
    with open(ROOT / "fieldsvc" / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def test_every_message_is_translated_to_chinese():
    catalog = _catalog("zh_CN")
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    missing = sorted(msg for msg in _extracted() if msg not in translated or not translated[msg].string
                     or (isinstance(translated[msg].string, tuple) and not all(translated[msg].string)))
    assert not missing, f"{len(missing)} messages lack a zh_CN translation (make babel-update): {missing[:20]}"


def test_no_fuzzy_translations():
    fuzzy = [m.id for m in _catalog("zh_CN") if m.id and m.fuzzy]
    assert not fuzzy, fuzzy


@pytest.mark.parametrize("accept, expected", [("zh-CN,zh;q=0.9", "客户"), ("en-US,en;q=0.8", "Customers")])
def test_accept_language_decides_before_login(app, client, accept, expected):
    page = client.get("/login", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert ("登录" if expected == "客户" else "Log in") in page


def test_user_choice_beats_browser(staff, login, db):
    client = login("director")
    client.post("/language", data={"locale": "en"})
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Customers" in page
    client.post("/language", data={"locale": "zh_CN"})
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "客户" in page


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("fmt", ["short", "medium", "long", "full", "yyyy-MM-dd HH:mm", "M月d日 HH:mm"])
def test_datetime_filter_matches_babel(app, language, fmt):
    """The template filter caches Babel's pattern; what it prints must not differ from format_datetime."""
    from datetime import UTC, datetime, timedelta, timezone

    from flask_babel import format_datetime

    from fieldsvc.i18n import _datetime
    with app.test_request_context(headers={"Accept-Language": language}):
        for value in (datetime(2026, 1, 2, 3, 4, tzinfo=UTC), datetime(2026, 7, 15, 23, 59),
                      datetime(2026, 12, 31, 16, 30, tzinfo=timezone(timedelta(hours=8)))):
            assert _datetime(value, fmt) == format_datetime(value, fmt)
