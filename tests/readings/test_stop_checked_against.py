"""The stop once read: the saved value, and apart from it the previous reading and the expected range that
reading was checked against — not the new value as the previous one and a range recomputed from it."""
from decimal import Decimal

import pytest

from fieldsvc import clock
from fieldsvc.readings import rules
from fieldsvc.readings.services import history, recording, skips, stops

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def stop(world, db):
    """One meter on a route, six months of 30 m³; → (route, meter, last value)."""
    _customer, meter = world.customer()
    last = world.history(meter, 30, periods=6)
    route = world.route([meter], name="核对册")
    db.session.commit()
    return route, meter, last


def _reader(world):
    return world.staff["meter_reader"]


def test_unread_stop_shows_the_last_reading_and_the_range_now(world, stop):
    route, meter, last = stop
    view = stops.stop_view(_reader(world), route.id, 1)
    assert view.reading is None and not view.checked
    assert view.previous.value == last
    assert view.expected == rules.expected_range(history.for_meter(meter).context, clock.now())


@pytest.mark.parametrize("typed, pending", [
    (Decimal(30), False),   # an ordinary month
    (Decimal(300), True),   # a spike, confirmed with a reason: flagged for the chief
])
def test_read_stop_shows_what_the_reading_was_checked_against(world, stop, db, typed, pending):
    route, meter, last = stop
    before = stops.stop_view(_reader(world), route.id, 1)
    reading = recording.record_reading(_reader(world), meter.id, {
        "value": last + typed, "route_id": route.id, "confirm": pending, "reason": "新装热水器" if pending else None})
    db.session.commit()
    view = stops.stop_view(_reader(world), route.id, 1)
    assert view.reading.id == reading.id and view.checked and (reading.status == "pending") is pending
    assert view.previous == before.previous  # the reading before it, not the value just saved
    assert view.previous.value == last and view.previous.value != reading.value
    # The range at the time of the reading, from the history before it: what the check measured against.
    assert view.expected == rules.expected_range(before_context(meter, reading), reading.read_at)
    assert view.expected[0] <= last + 30 <= view.expected[1]  # the ordinary month's value was inside


def before_context(meter, reading) -> rules.Context:
    return history.build(meter, history.live_readings(meter, before=reading.read_at)).context


def test_an_estimate_is_shown_against_the_reading_before_it(world, stop, db):
    route, meter, last = stop
    skip = skips.skip_stop(_reader(world), meter.id, "nobody_home", route_id=route.id)
    db.session.commit()
    view = stops.stop_view(_reader(world), route.id, 1)
    assert view.reading.id == skip.reading_id and view.reading.kind == rules.Kind.estimated
    assert view.previous.value == last and view.reading.value > last


def test_a_new_meter_read_for_the_first_time_is_checked_against_its_start_reading(world, db):
    _customer, meter = world.customer(installed_days_ago=40, start="125")
    route = world.route([meter], name="新表册")
    db.session.commit()
    recording.record_reading(_reader(world), meter.id, {"value": Decimal(150), "route_id": route.id})
    db.session.commit()
    view = stops.stop_view(_reader(world), route.id, 1)
    assert view.previous.value == 125 and view.previous.kind == rules.Kind.start
    assert view.previous.at == history.meter_start(meter)


def test_stop_page_after_saving(login, stop, db):
    route, meter, last = stop
    client = login("meter_reader")
    assert client.post(f"/readings/routes/{route.id}/stops/1/read", data={"value": str(last + 29)}).status_code == 302
    body = client.get(f"/readings/routes/{route.id}/stops/1", headers=EN).get_data(as_text=True)
    saved = body[body.index('id="saved-reading"'):body.index('id="h-checked"')]
    checked = body[body.index('id="h-checked"'):body.index("</section>")]
    assert f"{int(last + 29):,}" in saved and "used 29 m³" in saved
    assert "Checked against" in checked and f"{int(last):,}" in checked and "Expected" in checked
    assert f"{int(last + 29):,}" not in checked
    assert 'name="value"' not in body  # read this month: no second reading form


def test_stop_words_in_chinese(login, stop):
    route, _meter, _last = stop
    body = login("meter_reader").get(f"/readings/routes/{route.id}/stops/1", headers=ZH).get_data(as_text=True)
    assert "上次读数" in body and "上一页" not in body
