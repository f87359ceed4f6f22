"""The office's calendar page: who sees it, a year's list, adding and removing, hostile input (never a 500,
typed values kept), and the note on a year whose schedule is incomplete."""
from datetime import date

import pytest

from fieldsvc.calendar import services
from fieldsvc.calendar.models import CalendarDay

EN = {"Accept-Language": "en"}


def test_the_director_and_the_statistician_keep_it_others_do_not(staff, login):
    for username in ("director", "statistician"):
        client = login(username)
        assert client.get("/calendar/", headers=EN).status_code == 200
        assert "/calendar/" in client.get("/", headers=EN).get_data(as_text=True)  # in their menu
    for username in ("station_chief", "repair_tech", "card_clerk"):
        client = login(username)
        assert client.get("/calendar/", headers=EN).status_code == 403
        assert client.post("/calendar/", data={"day": "2026-03-09", "kind": "holiday", "name": "x"},
                           headers=EN).status_code == 403
        assert "/calendar/" not in client.get("/", headers=EN).get_data(as_text=True)


def test_a_year_lists_its_days_and_warns_when_incomplete(staff, login, db):
    services.seed()
    db.session.commit()
    client = login("statistician")
    html = client.get("/calendar/?year=2026", headers=EN).get_data(as_text=True)
    assert 'data-day="2026-02-14" data-kind="workday"' in html and 'data-day="2026-10-07"' in html
    assert 'data-day="2027-' not in html and 'id="cal-note"' not in html
    html = client.get("/calendar/?year=2027", headers=EN).get_data(as_text=True)
    assert 'id="cal-note"' in html and "no make-up working day" in html and "State Council" in html
    html = client.get("/calendar/?year=2031", headers=EN).get_data(as_text=True)
    assert 'id="cal-note"' in html and "only Saturdays and Sundays" in html


@pytest.mark.parametrize("year", ["abc", "99999", "-1", "1999", "２０２６", "2026'--", ""])
def test_a_hostile_year_shows_this_year(staff, login, year):
    from fieldsvc import clock
    response = login("director").get(f"/calendar/?year={year}", headers=EN)
    assert response.status_code == 200
    assert f'id="cal-year">{clock.today().year}<' in response.get_data(as_text=True)


def test_add_and_remove_through_the_page(staff, login, db):
    client = login("director")
    response = client.post("/calendar/", data={"day": "2028-01-01", "kind": "holiday", "name": "元旦",
                                               "year": "2026"}, headers=EN)
    assert response.status_code == 302 and response.location.endswith("/calendar/?year=2028")
    row = db.session.query(CalendarDay).one()
    assert (row.day, row.kind, row.name) == (date(2028, 1, 1), "holiday", "元旦")
    response = client.post(f"/calendar/{row.id}/remove", data={"year": "2028"}, headers=EN)
    assert response.status_code == 302 and response.location.endswith("/calendar/?year=2028")
    assert db.session.query(CalendarDay).count() == 0
    assert client.post("/calendar/999999/remove", headers=EN).status_code == 404


@pytest.mark.parametrize("day, kind, name, field", [
    ("0001-01-01", "holiday", "远古", "day"),
    ("9999-12-31", "holiday", "未来", "day"),
    ("1999-12-31", "holiday", "太早", "day"),
    ("2101-01-01", "holiday", "太晚", "day"),
    ("2026-02-30", "holiday", "不存在", "day"),
    ("next friday", "holiday", "文字", "day"),
    ("", "holiday", "空", "day"),
    ("2026-03-06", "workday", "周五调休", "kind"),
    ("2026-03-07", "vacation", "乱码", "kind"),
    ("2026-03-07", "holiday", "", "name"),
    ("2026-03-07", "holiday", "x" * 61, "name"),
    ("2026-03-07", "holiday", "bell\x07", "name"),
])
def test_hostile_input_is_refused_with_what_was_typed(staff, login, db, day, kind, name, field):
    response = login("director").post("/calendar/", data={"day": day, "kind": kind, "name": name,
                                                          "year": "2026"}, headers=EN)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="e-{field}"' in html
    if name and "\x07" not in name:
        assert name in html
    assert db.session.query(CalendarDay).count() == 0


def test_a_date_taken_is_refused_naming_it(staff, login, db):
    services.seed([2026])
    db.session.commit()
    response = login("director").post("/calendar/", data={"day": "2026-10-01", "kind": "holiday",
                                                          "name": "again"}, headers=EN)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="e-day"' in html and "国庆节" in html and "again" in html
