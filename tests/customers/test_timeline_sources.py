"""The customer timeline's sources: each is one branch of one UNION, its rows marked with the source's name."""
import pytest
from flask import Flask

from fieldsvc import registry
from fieldsvc.customers.services import TimelineSource, add_timeline_source


def test_a_source_name_is_registered_once():
    app = Flask(__name__)
    registry.init_app(app)
    first = TimelineSource("reading", lambda customer_id: None, lambda row: [])
    add_timeline_source(app, first)
    with pytest.raises(ValueError, match="reading"):
        add_timeline_source(app, TimelineSource("reading", lambda customer_id: None, lambda row: []))
    assert registry.of(app).timeline_sources == [first]


def test_the_app_registers_every_domains_sources_under_distinct_names(app):
    names = [s.name for s in registry.of(app).timeline_sources]
    assert len(names) == len(set(names)) and {"customer", "reading", "work_order", "inspection"} <= set(names)
