"""Language and time zone selection, and locale-aware formatting helpers for templates."""
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache

from babel import dates
from flask import current_app, g, has_request_context, request, session
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    get_domain,
    get_locale,
    get_timezone,
)
from flask_login import current_user


def select_locale() -> str:
    """The user's chosen language, else the session's (chosen before login), else Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and scripts: the configured default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def money(value) -> str:
    if value is None:
        return ""
    return format_currency(Decimal(value), "CNY")


def number(value, digits: int | None = None) -> str:
    if value is None:
        return ""
    fmt = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=fmt)


def init_app(app) -> None:
    app.jinja_env.filters.update(
        date=lambda d, fmt="medium": format_date(d, fmt) if d else "",
        datetime=lambda d, fmt="short": _datetime(d, fmt) if d else "",
        money=money, number=number,
    )
    app.jinja_env.globals["current_locale"] = current_locale
    # Flask-Babel looks the catalog up again for every {{ _('…') }} (~20 µs each, a page has dozens);
    # the same lookups, done once per request and locale.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def _datetime(value: datetime, fmt: str) -> str:
    """format_datetime(value, fmt) in the user's zone and language, with Babel's pattern parsed once per
    locale: a timeline of forty entries otherwise spends over a millisecond re-reading the CLDR data."""
    locale = get_locale()
    if locale is None or not isinstance(value, datetime):  # no request (a PDF rendered by a CLI, a test): Babel's way
        return format_datetime(value, fmt)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return _pattern(str(locale), fmt).apply(value.astimezone(get_timezone()), locale)


@lru_cache(maxsize=32)
def _pattern(locale: str, fmt: str):
    if fmt not in ("short", "medium", "long", "full"):  # a pattern of its own, e.g. "yyyy-MM-dd HH:mm"
        return dates.parse_pattern(fmt)
    pattern = str(dates.get_datetime_format(fmt, locale=locale))
    pattern = pattern.replace("{1}", dates.get_date_format(fmt, locale=locale).pattern)
    pattern = pattern.replace("{0}", dates.get_time_format(fmt, locale=locale).pattern)
    return dates.parse_pattern(pattern)


def _translations():
    """This request's catalog, renewed when the locale changes mid-request (flask_babel.refresh())."""
    locale = get_locale()
    cached = g.get("_i18n_catalog")
    if cached is None or cached[0] is not locale:
        cached = g._i18n_catalog = (locale, get_domain().get_translations())
    return cached[1]


def word(lazy) -> str:
    """str(lazy) for a long-lived lazy string (a label, a menu entry), translated once per request and language:
    a board of 25 orders shows a few hundred labels, and each str() of a lazy string costs Flask-Babel's whole
    catalogue lookup again."""
    if not has_request_context():
        return str(lazy)
    locale = get_locale()
    memo = g.get("_i18n_words")
    if memo is None or memo[0] is not locale:
        memo = g._i18n_words = (locale, {})
    words = memo[1]
    found = words.get(id(lazy))  # keyed by identity (str() is what costs); the entry keeps the object alive
    if found is None:
        found = words[id(lazy)] = (lazy, str(lazy))
    return found[1]


def current_locale() -> str:
    """zh_CN or en, as configured: Babel says zh_Hans_CN for Chinese, which no page should show."""
    locale = get_locale()
    if locale is None:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language
