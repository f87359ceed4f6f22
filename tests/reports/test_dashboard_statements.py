"""Issue #25: the director's dashboard costs at most 10 SQL statements on a cold render — the page's short-lived
cache emptied (fieldsvc/cache.py), as after any write, which at city size is the usual view — counted as
bench/run.py query_counts() counts them: a warm-up view first, then each request in its own app context."""
import threading
from datetime import date

import pytest

from fieldsvc import cache
from fieldsvc.reports import figures, queries
from tests.reports.conftest import END, START
from tests.test_cache import _statements

# ≤ 10 as bench/run.py counts them on SQLite, which adds each transaction's BEGIN (not counted here).
MAX_STATEMENTS = 9


def _own_context(app, fn):
    """fn() in a fresh app context (its own session and `g`, as under gunicorn), in a thread so the test's
    context is not the one reused."""
    out = {}

    def run():
        try:
            with app.app_context():
                out["value"] = fn()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            out["error"] = error
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def _cold(app, client, path):
    _own_context(app, lambda: client.get(path))  # warm-up: first-use work and the closed months' figures
    _own_context(app, cache.invalidate)
    return _own_context(app, lambda: _statements(client, path))


@pytest.mark.parametrize("path", ["/reports/", "/reports/?from=2025-10-01&to=2025-10-31",
                                  "/reports/?from=2025-10-05&to=2025-10-20"])
def test_the_directors_dashboard_is_cheap_when_cold(app, known_month, login, db, path):
    db.session.commit()  # the known month is visible to the requests' own sessions
    page, cold = _cold(app, login("director"), path)
    assert len(cold) <= MAX_STATEMENTS, "\n".join(cold)
    assert 'id="r-orders"' in page.text and 'id="r-districts"' in page.text  # the comparison is in the count


def test_a_station_chiefs_dashboard_is_cheap_when_cold(app, known_month, login, db):
    """Their own district, and today's figures besides the period's."""
    db.session.commit()
    page, cold = _cold(app, login("station_chief"), "/reports/?from=2025-10-01&to=2025-10-31")
    assert len(cold) <= MAX_STATEMENTS, "\n".join(cold)
    assert 'id="r-orders"' in page.text and known_month.a.name in page.text


@pytest.mark.parametrize("who", [None, "a", "b"])
def test_the_figures_asked_together_are_each_familys_own(known_month, who):
    """reports.figures folds the families into a few statements; each family's function answers alone."""
    district = None if who is None else getattr(known_month, who).id
    for start, end in ((START, END), (date(2025, 10, 5), date(2025, 10, 20)), (date(2024, 1, 1), date(2024, 1, 31))):
        together = figures.period_figures(start, end, district, compare=district is None)
        alone = {"orders": queries.orders, "compliance": queries.compliance, "emergency": queries.emergency_arrival,
                 "readings": queries.reading_completion, "arrears": queries.arrears_recovery,
                 "inspections": queries.inspection_coverage, "hazards": queries.household_hazards,
                 "metering": queries.metering, "satisfaction": queries.satisfaction, "hse": queries.hse,
                 "qualifications": queries.qualifications, "sales": queries.gas_sold,
                 "complaints": queries.complaint_numbers}
        assert list(together) == [*alone, *(["districts"] if district is None else [])]
        for name, fn in alone.items():
            assert together[name] == fn(start, end, district), (name, start, end, district)
        if district is None:
            assert together["districts"] == queries.districts_comparison(start, end)
