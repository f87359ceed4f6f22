"""When an offline reading was taken: the phone's time is believed only within bounds (a table)."""
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.readings.models import Reading
from fieldsvc.readings.rules import CLIENT_MAX_AGE, CLIENT_SKEW, client_time

SHANGHAI = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 28, 14, 0, tzinfo=SHANGHAI)


def iso(delta: timedelta, tz=UTC) -> str:
    return (NOW + delta).astimezone(tz).isoformat()


@pytest.mark.parametrize(("claimed", "expected"), [
    (None, NOW),
    ("", NOW),
    ("yesterday", NOW),
    ("2026-13-01T00:00:00Z", NOW),  # no such month
    ("x" * 100, NOW),
    ("2026-11-28T05:30:00", NOW),  # no zone: whose 05:30?
    (iso(-timedelta(hours=3)), NOW - timedelta(hours=3)),  # typed in the basement three hours ago
    (iso(-timedelta(hours=3)).replace("+00:00", "Z"), NOW - timedelta(hours=3)),  # JavaScript's toISOString()
    (iso(-timedelta(hours=3), SHANGHAI), NOW - timedelta(hours=3)),  # any zone, same instant
    (iso(-timedelta(seconds=1)), NOW - timedelta(seconds=1)),
    (iso(timedelta(0)), NOW),
    (iso(timedelta(minutes=4)), NOW),  # phone clock a little ahead: now, never the future
    (iso(CLIENT_SKEW), NOW),  # the edge still counts as "now"
    (iso(CLIENT_SKEW + timedelta(seconds=1)), NOW),  # beyond the skew: not believed, server time
    (iso(timedelta(days=2)), NOW),
    (iso(-CLIENT_MAX_AGE), NOW - CLIENT_MAX_AGE),  # a week in the outbox: still believed
    (iso(-CLIENT_MAX_AGE - timedelta(seconds=1)), NOW),  # older: the phone's clock is wrong
    (iso(-timedelta(days=400)), NOW),
    ("1970-01-01T00:00:00Z", NOW),  # a phone whose clock was reset
])
def test_client_time(claimed, expected):
    got = client_time(claimed, NOW)
    assert got == expected
    assert got.utcoffset() == NOW.utcoffset()  # always in the server's zone


def test_bounds_are_sane():
    assert timedelta(minutes=1) <= CLIENT_SKEW <= timedelta(minutes=15)
    assert timedelta(days=1) <= CLIENT_MAX_AGE <= timedelta(days=14)


# --- through the stop page: the reading keeps the time the reader typed it -------------------------------

@pytest.fixture
def stop_route(world, db):
    meters = [world.customer()[1] for _ in range(3)]
    route = world.route(meters, name="离线时刻册")
    lasts = [world.history(m, 30, periods=6) for m in meters]
    db.session.commit()
    return route, meters, lasts


def _reading(db, meter):
    return db.session.execute(select(Reading).where(Reading.meter_id == meter.id, Reading.source == "field")
                              ).scalar_one()


def test_offline_reading_keeps_the_phones_time(login, stop_route, db):
    route, meters, lasts = stop_route
    typed = clock.now() - timedelta(hours=5)
    client = login("meter_reader")
    response = client.post(f"/readings/routes/{route.id}/stops/1/read", data={
        "value": str(lasts[0] + 29), "client_recorded_at": typed.astimezone(UTC).isoformat()})
    assert response.status_code == 302
    assert abs(_reading(db, meters[0]).read_at - typed) < timedelta(seconds=1)


@pytest.mark.parametrize("claimed", ["", "garbage", "2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z"])
def test_unbelievable_phone_time_is_replaced_by_the_servers(login, stop_route, db, claimed):
    route, meters, lasts = stop_route
    before = clock.now()
    response = login("meter_reader").post(f"/readings/routes/{route.id}/stops/1/read", data={
        "value": str(lasts[0] + 29), "client_recorded_at": claimed})
    assert response.status_code == 302
    assert before - timedelta(seconds=1) <= _reading(db, meters[0]).read_at <= clock.now()


def test_stop_form_carries_the_typed_time_field_and_data_as_of(login, stop_route):
    route, _meters, _lasts = stop_route
    body = login("meter_reader").get(f"/readings/routes/{route.id}/stops/1").get_data(as_text=True)
    assert '<input type="hidden" name="client_recorded_at" value="">' in body  # app.js fills it on submit
    assert "data-as-of=" in body
