"""Cards on the role home pages. Domains add theirs from init_app, so the home page shows each role the
work waiting for it without core knowing every domain.

Cards come in groups, most pressing first (issue #19: a director's morning starts with today's
emergencies and overdue work, then safety, then sales and collection, then HSE). A user's cards are
rendered once and kept in the short-lived cache (fieldsvc/cache.py): a write anywhere drops them, and
they are keyed by the business date and language, so a page never shows yesterday's or the other
language's figures.

The first view after a write is computed afresh, and at city size writes are constant (a hundred phones), so
that path must be cheap too: a card that shows counts declares them as `figures` (scalar SELECTs) and the home
page asks for every visible card's figures in ONE statement; its `data` then receives the values and may read
rows only when there is something to list (policies to acknowledge, standards due).
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import Select, select

from fieldsvc import cache, clock, registry
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can

GROUPS = {
    "today": _l("Today: emergencies and overdue work"),
    "safety": _l("Safety and metering"),
    "sales": _l("Sales and collection"),
    "hse": _l("HSE"),
    "office": _l("Office"),
}


@dataclass(frozen=True)
class HomeCard:
    name: str
    template: str  # rendered with `card` = what data() returned
    data: Callable  # (actor) -> dict, or None to show nothing; (actor, figures) when `figures` is given
    permission: P | None = None
    roles: frozenset[str] | None = None  # None: every role that has the permission
    order: int = 50
    group: str = "today"  # a key of GROUPS
    figures: Callable | None = None  # (actor) -> {key: scalar SELECT}: fetched with every other card's at once


def add(app, card: HomeCard) -> None:
    if card.group not in GROUPS:
        raise ValueError(f"home card {card.name}: unknown group {card.group!r}")
    cards = registry.of(app).home_cards
    cards.append(card)
    cards.sort(key=lambda c: (list(GROUPS).index(c.group), c.order))


def _visible(actor, card: HomeCard) -> bool:
    if card.roles is not None and actor.role not in card.roles:
        return False
    return card.permission is None or can(actor, card.permission)


def fetch_figures(asked: dict[str, dict]) -> dict[str, dict]:
    """{card: {key: SELECT}} → {card: {key: value}}, in one statement (SELECT (…) AS f0, (…) AS f1, …)."""
    columns, where = [], []
    for card, figures in asked.items():
        for key, query in figures.items():
            expr = query.scalar_subquery() if isinstance(query, Select) else query
            columns.append(expr.label(f"f{len(columns)}"))
            where.append((card, key))
    values: dict[str, dict] = {card: {} for card in asked}
    if columns:
        for (card, key), value in zip(where, db.session.execute(select(*columns)).one(), strict=True):
            values[card][key] = value
    return values


def figures_of(figures: dict) -> dict:
    """One card's figures fetched on their own (the card's service answering outside the home page)."""
    return fetch_figures({"card": figures})["card"]


def as_fetched(actor, values: dict) -> dict:
    """A card whose data are exactly its figures."""
    return values


def _render(actor) -> list[list[str]]:
    """[[group, html], …] in display order: plain strings, so they can be kept between requests."""
    shown = []
    cards = [card for card in registry.of().home_cards if _visible(actor, card)]
    figures = fetch_figures({card.name: card.figures(actor) for card in cards if card.figures})
    for card in cards:
        data = card.data(actor, figures[card.name]) if card.figures else card.data(actor)
        html = render_template(card.template, card=data) if data is not None else ""
        if html.strip():  # a card with nothing to say (no pending reversals…) leaves no empty heading
            shown.append([card.group, html])
    return shown


def grouped_cards(actor) -> list[tuple[str, str, list[Markup]]]:
    """(group key, heading, [card html…]) for the groups that have something to show."""
    key = f"home:{actor.id}:{actor.role}:{get_locale()}:{clock.today().isoformat()}"
    rendered = cache.cached(key, lambda: _render(actor))
    groups: dict[str, list[Markup]] = {}
    for group, html in rendered:
        groups.setdefault(group, []).append(Markup(html))  # noqa: S704 - rendered by our own templates
    return [(group, str(GROUPS[group]), cards) for group, cards in groups.items()]
