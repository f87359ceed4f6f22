"""What the domains register on the app: menu entries, home cards, customer-timeline sources, the words
for their codes, who may see their uploads, and their API blueprints.

It lives on the app (`app.extensions["fieldsvc"]`), not in module globals, so every app built (tests build
many) has exactly what its own domains registered — nothing to guard against adding twice.
"""
from dataclasses import dataclass, field

from flask import Flask, current_app, has_app_context

KEY = "fieldsvc"


@dataclass
class Registry:
    nav: list = field(default_factory=list)  # fieldsvc.nav.NavItem, in menu order
    home_cards: list = field(default_factory=list)  # fieldsvc.home.HomeCard, in page order
    timeline_sources: list = field(default_factory=list)  # fn(customer) -> list[TimelineEvent]
    labels: dict = field(default_factory=dict)  # group -> {code: lazy word}
    upload_visibility: dict = field(default_factory=dict)  # entity -> fn(actor, entity_id) -> bool
    api_blueprints: list = field(default_factory=list)
    menu_cache: dict = field(default_factory=dict)  # role -> the role's menu (filled on first page)


def init_app(app: Flask) -> Registry:
    from fieldsvc.labels import LABELS
    registry = Registry(labels={group: dict(words) for group, words in LABELS.items()})
    app.extensions[KEY] = registry
    return registry


def of(app: Flask | None = None) -> Registry | None:
    """The registry of `app` (default: the current app); None outside an app context."""
    if app is None:
        if not has_app_context():
            return None
        app = current_app
    return app.extensions.get(KEY)
