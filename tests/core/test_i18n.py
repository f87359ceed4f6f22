"""Both languages are complete: every message in the code and templates has a zh_CN translation."""
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
# The same keywords as `make babel-extract`: a context entry (pgettext) is its own message, keyed (msgid, msgctxt).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3), "lazy_pgettext": ((1, "c"), 2)}
METHODS = [("fieldsvc/**.py", "python"), ("templates/**.html", "jinja2")]


@cache
def _extracted() -> frozenset[tuple[str, str | None]]:
    """(msgid, msgctxt) of every message in the code and templates; msgctxt is None outside pgettext."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        found.add((message[0] if isinstance(message, tuple) else message, context))
    return frozenset(found)


def _catalog(locale: str):
    with open(ROOT / "fieldsvc" / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def test_every_message_is_translated_to_chinese():
    catalog = _catalog("zh_CN")
    translated = {(m.id if isinstance(m.id, str) else m.id[0], m.context): m for m in catalog if m.id}
    missing = sorted(((msg, ctx) for msg, ctx in _extracted() if not _done(translated.get((msg, ctx)))),
                     key=lambda key: (key[0], key[1] or ""))
    assert not missing, f"{len(missing)} messages lack a zh_CN translation (make babel-update): {missing[:20]}"


def _done(message) -> bool:
    if message is None or not message.string:
        return False
    return all(message.string) if isinstance(message.string, tuple) else True


def test_extraction_keys_context_entries_apart():
    """One English word, two Chinese words: pgettext's context makes each its own catalog entry."""
    found = _extracted()
    assert {("Previous", "reading"), ("Previous", "stop"), ("Next", "stop")} <= found
    assert ("Previous", None) in found  # the pager


def test_context_entries_translate_in_their_context(app):
    from flask import render_template_string
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        text = render_template_string("{{ pgettext('reading', 'Previous') }}|{{ pgettext('stop', 'Previous') }}|"
                                      "{{ pgettext('stop', 'Next') }}|{{ _('Previous') }}")
    assert text == "上次读数|上一户|下一户|上一页"
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):  # lazy_pgettext in a domain's labels
        text = render_template_string("{{ 'overdue'|label('arrears_stage') }}|{{ _('Overdue') }}|"
                                      "{{ 'accepted'|label('reading_status') }}|{{ _('Accepted') }}")
    assert text == "已逾期|已超时|已接收|已接单"


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
