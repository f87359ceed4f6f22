"""Gaps on the staff page, the director's home card, the staff form's new fields (422 keeps the input)."""
from datetime import timedelta

import pytest

from fieldsvc import cache, clock
from fieldsvc.auth.models import User
from fieldsvc.errors import NotAllowed
from fieldsvc.staffing import services
from fieldsvc.staffing.rules import GapKind

EN = {"Accept-Language": "en"}


@pytest.fixture
def en_request(app):
    with app.test_request_context(headers=EN, method="POST"):
        yield


def _profile(user, education, years):
    user.education = education
    user.experience_since = None if years is None else clock.today() - timedelta(days=366 * years)


def test_gaps_of_a_person(staff, db, en_request):
    chief = staff["station_chief"]
    _profile(chief, "senior_high", 2)
    gaps = services.gaps_of(staff["director"], chief)
    assert [g.kind for g in gaps] == [GapKind.education_below, GapKind.experience_short]
    assert "2 of 4 years" in services.describe(gaps[1])
    _profile(chief, "college", 5)
    assert services.gaps_of(staff["director"], chief) == []
    with pytest.raises(NotAllowed):
        services.gaps_of(staff["station_chief"], chief)


def test_configuration_overrides_a_role(app, staff, db, en_request):
    fitter = staff["pipe_fitter"]
    _profile(fitter, "senior_high", 3)
    assert services.gaps_of(staff["director"], fitter) == []
    app.config["ROLE_REQUIREMENTS"] = {"pipe_fitter": {"years": 5}}
    try:
        assert [g.kind for g in services.gaps_of(staff["director"], fitter)] == [GapKind.experience_short]
    finally:
        del app.config["ROLE_REQUIREMENTS"]


def test_shortfalls_and_home_card(staff, db, login, en_request):
    for user in staff.values():
        _profile(user, "postgraduate", 10)
    _profile(staff["pipe_fitter3"], "junior_high", 10)
    staff["metering_tech"].qualifications[0].expires_on = clock.today() - timedelta(days=1)
    staff["director"].qualifications.clear()
    db.session.commit()
    found = {s.user.username: [g.kind for g in s.gaps] for s in services.shortfalls(staff["director"])}
    assert found["pipe_fitter3"] == [GapKind.education_below]
    assert found["metering_tech"] == [GapKind.certificate_expired]
    assert set(found["director"]) == {GapKind.certificate_missing}
    assert "repair_tech" not in found
    cache.invalidate()
    home = login("director").get("/", headers=EN).get_data(as_text=True)
    assert "Below role requirements" in home and staff["pipe_fitter3"].name in home
    assert "Below role requirements" not in login("station_chief").get("/", headers=EN).get_data(as_text=True)


def test_staff_page_shows_gaps_and_the_form_saves_the_fields(staff, db, login):
    client = login("director")
    fitter = staff["pipe_fitter2"]
    page = client.get(f"/staff/{fitter.id}", headers=EN).get_data(as_text=True)
    assert "Role requirements" in page and "Education not on file" in page
    form = {"name": fitter.name, "role": "pipe_fitter", "education": "junior_high", "experience_since": "2019-03-01"}
    assert client.post(f"/staff/{fitter.id}", data=form, headers=EN).status_code == 302
    db.session.expire_all()
    user = db.session.get(User, fitter.id)
    assert user.education == "junior_high" and user.experience_since.isoformat() == "2019-03-01"
    page = client.get(f"/staff/{fitter.id}", headers=EN).get_data(as_text=True)
    assert 'data-gap="education_below"' in page and "Education not on file" not in page


@pytest.mark.parametrize("field, value", [
    ("education", "phd"), ("experience_since", "2026-13-45"), ("experience_since", "0000-00-00"),
    ("experience_since", "9999-12-31"), ("experience_since", "future"),
    ("education", "x" * 5000)])
def test_staff_form_refuses_bad_input_and_keeps_it(staff, db, login, field, value):
    client = login("director")
    fitter = staff["pipe_fitter2"]
    if value == "future":
        value = (clock.today() + timedelta(days=3)).isoformat()
    form = {"name": "改过的名字", "role": "pipe_fitter", "education": "college", "experience_since": "2019-03-01",
            field: value}
    response = client.post(f"/staff/{fitter.id}", data=form, headers=EN)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="f-' + field + '"' in html and "改过的名字" in html
    db.session.expire_all()
    assert db.session.get(User, fitter.id).education is None


def test_demo_has_people_with_gaps(app, staff, db, en_request):
    import random

    from fieldsvc.staffing import demo
    demo.seed_demo(random.Random(1), clock.today(), "small")
    found = {s.user.username for s in services.shortfalls(staff["director"])}
    assert {"pipe_fitter3", "station_chief2"} <= found
    assert "director" not in found and "repair_tech" not in found
