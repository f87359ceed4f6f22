"""Issue #22 item 7: a recorded figure reads as a person writes it — 37, 0.5 — not 37.000; text stays text."""
import pytest

from fieldsvc.metering.formatting import plain


@pytest.mark.parametrize("stored, shown", [
    ("37.000", "37"), ("0.500", "0.5"), ("1250.125", "1250.125"), ("0", "0"), ("100", "100"),
    ("abc", "abc"), ("", ""), (None, ""),
])
def test_plain_numbers(stored, shown):
    assert plain(stored) == shown


def test_a_completed_job_shows_its_figures_without_trailing_zeros(app):
    template = app.jinja_env.from_string(
        '{% from "dispatch/_completion.html" import result_value %}{{ result_value(rf, v) }}')
    rf = type("RF", (), {"kind": "number", "name": "opening_reading", "options": []})()
    with app.test_request_context():
        assert template.render(rf=rf, v="37.000").strip() == "37"
        assert template.render(rf=rf, v="12.50").strip() == "12.5"
