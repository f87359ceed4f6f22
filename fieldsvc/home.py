"""Cards on the role home pages. Domains add theirs from init_app, so the home page shows each role the
work waiting for it without core knowing every domain."""
from collections.abc import Callable
from dataclasses import dataclass

from fieldsvc import registry
from fieldsvc.permissions import P, can


@dataclass(frozen=True)
class HomeCard:
    name: str
    template: str  # rendered with `card` = what data() returned
    data: Callable  # (actor) -> dict, or None to show nothing
    permission: P | None = None
    roles: frozenset[str] | None = None  # None: every role that has the permission
    order: int = 50


def add(app, card: HomeCard) -> None:
    cards = registry.of(app).home_cards
    cards.append(card)
    cards.sort(key=lambda c: c.order)


def cards_for(actor) -> list[tuple[str, dict]]:
    shown = []
    for card in registry.of().home_cards:
        if card.roles is not None and actor.role not in card.roles:
            continue
        if card.permission is not None and not can(actor, card.permission):
            continue
        data = card.data(actor)
        if data is not None:
            shown.append((card.template, data))
    return shown
