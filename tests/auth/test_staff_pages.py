"""The director's staff pages: list, create, edit, access, qualifications; and who is kept out."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.audit import AuditEntry
from fieldsvc.auth import services
from fieldsvc.auth.models import Qualification, User
from fieldsvc.permissions import Role

GOOD_PASSWORD = "Valve2026ok"


@pytest.fixture
def director(staff, login):
    client = login("director")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _user(db, username) -> User:
    db.session.expire_all()
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


def _new_form(**overrides) -> dict:
    form = {"username": "qian", "name": "钱七", "role": "pipe_fitter", "phone": "13812345678",
            "district_id": "", "locale": "", "password": GOOD_PASSWORD}
    form.update(overrides)
    return form


# --- the list --------------------------------------------------------------------------------------

def test_list_groups_staff_by_role_with_labels_and_links(staff, director):
    page = director.get("/staff/").get_data(as_text=True)
    for role in Role:
        assert f'id="h-role-{role.value}"' in page
    # charter order: director first, metering technicians last
    assert page.index('id="h-role-director"') < page.index('id="h-role-repair_tech"') \
        < page.index('id="h-role-metering_tech"')
    assert "Indoor Repair Technician" in page
    assert f'href="/staff/{staff["repair_tech2"].id}"' in page
    assert staff["meter_reader"].district.name in page


def test_list_filters_by_role(staff, director):
    page = director.get("/staff/?role=repair_tech").get_data(as_text=True)
    assert re.findall(r'id="h-role-(\w+)"', page) == ["repair_tech"]
    for name in (staff["repair_tech"].name, staff["repair_tech2"].name, staff["repair_tech3"].name):
        assert name in page
    assert staff["pipe_fitter"].name not in page
    # an unknown role is ignored rather than an error
    assert director.get("/staff/?role=king").status_code == 200


def test_list_shows_inactive_and_qualification_badges(staff, db, director):
    for user in staff.values():
        user.qualifications.clear()
    staff["metering_tech"].qualifications.append(Qualification(
        kind="metrology_licence", number="M1", issuer="x", expires_on=clock.today() - timedelta(days=1)))
    staff["metering_tech2"].qualifications.append(Qualification(
        kind="metrology_licence", number="M2", issuer="x", expires_on=clock.today() + timedelta(days=5)))
    staff["pipe_fitter"].active = False
    db.session.commit()
    page = director.get("/staff/?role=metering_tech").get_data(as_text=True)
    assert page.count("badge-bad") == 1 and "Expired" in page
    assert page.count("badge-warn") == 1 and "Expiring soon" in page
    page = director.get("/staff/?role=pipe_fitter").get_data(as_text=True)
    assert "Inactive" in page and "is-inactive" in page


# --- creating --------------------------------------------------------------------------------------

def test_director_creates_an_account(staff, db, director, client):
    district = staff["meter_reader"].district
    response = director.post("/staff/new", data=_new_form(username="Qian.Qi", district_id=str(district.id),
                                                          locale="en"))
    assert response.status_code == 302
    user = _user(db, "qian.qi")
    assert response.location.endswith(f"/staff/{user.id}")
    assert (user.name, user.role, user.phone, user.district_id, user.locale) == \
        ("钱七", "pipe_fitter", "13812345678", district.id, "en")
    assert "Account qian.qi created." in director.get(response.location).get_data(as_text=True)
    assert client.post("/login", data={"username": "qian.qi", "password": GOOD_PASSWORD}).status_code == 302


def test_new_form_offers_translated_roles_and_districts(staff, director):
    page = director.get("/staff/new").get_data(as_text=True)
    assert '<option value="metering_head">Metering Office Head</option>' in page
    assert staff["meter_reader"].district.name in page
    assert 'name="csrf_token"' in page
    zh = director.get("/staff/new", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'value="repair_tech"' in zh


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"name": ""}, "name", "Missing data for required field."),
    ({"username": ""}, "username", "Missing data for required field."),
    ({"username": "repair_tech"}, "username", "This username is taken."),
    ({"username": "no spaces"}, "username", "Use letters, digits, dots, dashes and underscores only."),
    ({"username": "x" * 41}, "username", "Length must be between 2 and 40."),
    ({"role": "king"}, "role", "Must be one of:"),
    ({"role": ""}, "role", "Missing data for required field."),
    ({"password": "short1"}, "password", "At least 10 characters."),
    ({"password": "qian2026abc"}, "password", "Must not contain the username."),
    ({"password": "onlyletters"}, "password", "Mix letters with digits or symbols."),
    ({"district_id": "999"}, "district_id", "Unknown district."),
    ({"district_id": "abc"}, "district_id", "Not a valid integer."),
    ({"locale": "fr"}, "locale", "Must be one of:"),
    ({"phone": "1" * 21}, "phone", "Longer than maximum length 20."),
])
def test_bad_input_gives_422_with_the_message_next_to_the_field_and_keeps_values(
        staff, db, director, overrides, field, message):
    form = _new_form(name="钱七七", **{k: v for k, v in overrides.items() if k != "name"})
    form.update({k: v for k, v in overrides.items() if k == "name"})
    response = director.post("/staff/new", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="e-{field}">([^<]*)</p>', page)
    assert error and message in error.group(1)
    if field != "name":
        assert 'value="钱七七"' in page  # what was typed is kept
    assert 'value="13812345678"' in page or field == "phone"
    assert GOOD_PASSWORD not in page  # but a password is never echoed back
    assert db.session.execute(select(User).where(User.name == "钱七七")).first() is None


# --- editing ---------------------------------------------------------------------------------------

def test_director_edits_details(staff, db, director):
    user = staff["pipe_fitter"]
    district = staff["station_chief"].district
    response = director.post(f"/staff/{user.id}", data={
        "name": "李军军", "phone": "", "role": "pipe_fitter", "district_id": str(district.id), "locale": "zh_CN"})
    assert response.status_code == 302
    user = _user(db, "pipe_fitter")
    assert (user.name, user.phone, user.district_id, user.locale) == ("李军军", None, district.id, "zh_CN")
    page = director.get(f"/staff/{user.id}").get_data(as_text=True)
    assert "Changes saved." in page and "李军军" in page


def test_role_change_from_the_page_logs_the_person_out(staff, db, director, login):
    victim = login("repair_tech3")
    user = staff["repair_tech3"]
    response = director.post(f"/staff/{user.id}", data={"name": user.name, "role": "pipe_fitter"})
    assert response.status_code == 302
    assert _user(db, "repair_tech3").role == "pipe_fitter"
    assert victim.get("/").status_code == 302


def test_edit_with_bad_input_keeps_typed_values(staff, db, director):
    user = staff["pipe_fitter"]
    response = director.post(f"/staff/{user.id}", data={"name": "", "phone": "13700000000", "role": "pipe_fitter"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="e-name"' in page and 'value="13700000000"' in page
    assert _user(db, "pipe_fitter").name == "李军"


def test_director_cannot_change_own_role_on_the_page(staff, db, director):
    me = staff["director"]
    response = director.post(f"/staff/{me.id}", data={"name": me.name, "role": "repair_tech"})
    assert response.status_code == 422
    assert "You cannot change your own role." in response.get_data(as_text=True)
    assert _user(db, "director").role == "director"
    assert director.get("/staff/").status_code == 200  # still logged in


def test_unknown_person_is_404(staff, director):
    assert director.get("/staff/999999").status_code == 404


# --- access ----------------------------------------------------------------------------------------

def test_director_deactivates_and_reactivates(staff, db, director, client):
    user = staff["meter_reader2"]
    response = director.post(f"/staff/{user.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert not _user(db, "meter_reader2").active
    assert client.post("/login", data={"username": "meter_reader2", "password": "fieldsvc-demo"}).status_code == 401
    page = director.get(f"/staff/{user.id}").get_data(as_text=True)
    assert "Reactivate" in page and "data-confirm" in page
    director.post(f"/staff/{user.id}/active", data={"active": "1"})
    assert _user(db, "meter_reader2").active


def test_director_cannot_deactivate_self_on_the_page(staff, db, director):
    me = staff["director"]
    page = director.get(f"/staff/{me.id}").get_data(as_text=True)
    assert f'/staff/{me.id}/active' not in page  # no button for it
    response = director.post(f"/staff/{me.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "You cannot deactivate yourself." in response.get_data(as_text=True)
    assert _user(db, "director").active


def test_director_resets_a_password(staff, db, director, client):
    user = staff["card_clerk"]
    response = director.post(f"/staff/{user.id}/password", data={"password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert client.post("/login", data={"username": "card_clerk", "password": "fieldsvc-demo"}).status_code == 401
    assert client.post("/login", data={"username": "card_clerk", "password": GOOD_PASSWORD}).status_code == 302


def test_weak_reset_password_is_422_next_to_the_field(staff, db, director):
    user = staff["card_clerk"]
    response = director.post(f"/staff/{user.id}/password", data={"password": "abc"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="e-password">[^<]*At least 10 characters', page)
    assert "<details class=\"disclosure\" open>" in page
    assert services.authenticate("card_clerk", "fieldsvc-demo") is not None


def test_end_all_sessions_logs_the_person_out(staff, db, director, login):
    victim = login("repair_tech2")
    assert victim.get("/").status_code == 200
    response = director.post(f"/staff/{staff['repair_tech2'].id}/sessions/end")
    assert response.status_code == 302
    assert victim.get("/").status_code == 302
    assert _user(db, "repair_tech2").active


def test_ending_own_sessions_keeps_this_device(staff, db, director):
    response = director.post(f"/staff/{staff['director'].id}/sessions/end")
    assert response.status_code == 302
    assert director.get("/staff/").status_code == 200


# --- qualifications --------------------------------------------------------------------------------

def _qual_form(**overrides) -> dict:
    form = {"kind": "metrology_licence", "number": "JL-2026-001", "issuer": "市场监督管理局",
            "issued_on": (clock.today() - timedelta(days=30)).isoformat(),
            "expires_on": (clock.today() + timedelta(days=20)).isoformat()}
    form.update(overrides)
    return form


def test_director_adds_and_removes_a_qualification(staff, db, director):
    user = staff["metering_tech2"]
    response = director.post(f"/staff/{user.id}/qualifications", data=_qual_form())
    assert response.status_code == 302 and response.location.endswith("#qualifications")
    q = db.session.execute(select(Qualification).where(Qualification.number == "JL-2026-001")).scalar_one()
    assert q.user_id == user.id and q.expires_on == clock.today() + timedelta(days=20)
    page = director.get(f"/staff/{user.id}").get_data(as_text=True)
    assert "JL-2026-001" in page and "Expiring soon" in page and "Metrology licence" in page
    response = director.post(f"/staff/{user.id}/qualifications/{q.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Qualification, q.id) is None


def test_qualification_statuses_on_the_page(staff, db, director):
    user = staff["metering_tech"]
    user.qualifications.clear()
    user.qualifications.append(Qualification(kind="metrology_licence", number="OLD", issuer="x",
                                             expires_on=clock.today() - timedelta(days=1)))
    user.qualifications.append(Qualification(kind="driving_licence", number="CAR", issuer="x"))
    db.session.commit()
    page = director.get(f"/staff/{user.id}").get_data(as_text=True)
    assert "badge-bad" in page and "Expired" in page and "Valid" in page
    assert "No valid Metrology licence on file" in page


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"number": ""}, "number", "Missing data for required field."),
    ({"issuer": ""}, "issuer", "Missing data for required field."),
    ({"kind": "wizard"}, "kind", "Must be one of:"),
    ({"expires_on": "31/12/2026"}, "expires_on", "Not a valid date."),
    ({"expires_on": "before-issue"}, "expires_on", "The expiry date is before the issue date."),
])
def test_bad_qualification_is_422_with_kept_values(staff, db, director, overrides, field, message):
    user = staff["metering_tech2"]
    before = len(user.qualifications)
    form = _qual_form(number="KEEP-ME", **{k: v for k, v in overrides.items() if k != "number"})
    form.update({k: v for k, v in overrides.items() if k == "number"})
    if form["expires_on"] == "before-issue":
        form["expires_on"] = (clock.today() - timedelta(days=60)).isoformat()
    response = director.post(f"/staff/{user.id}/qualifications", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="e-{field}">([^<]*)</p>', page)
    assert error and message in error.group(1)
    assert 'value="市场监督管理局"' in page or field == "issuer"
    if field != "number":
        assert 'value="KEEP-ME"' in page
    assert len(_user(db, "metering_tech2").qualifications) == before


def test_removing_another_persons_qualification_through_the_wrong_page_is_404(staff, db, director):
    q = staff["repair_tech"].qualifications[0]
    response = director.post(f"/staff/{staff['pipe_fitter'].id}/qualifications/{q.id}/remove")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Qualification, q.id) is not None


def test_every_post_form_carries_csrf(staff, director):
    page = director.get(f"/staff/{staff['metering_tech'].id}").get_data(as_text=True)
    forms = re.findall(r"<form [^>]*method=\"post\".*?</form>", page, re.S)
    assert len(forms) >= 5
    assert all('name="csrf_token"' in f for f in forms)


def test_changes_are_audited_with_the_director_as_actor(staff, db, director):
    user = staff["pipe_fitter"]
    director.post(f"/staff/{user.id}/sessions/end")
    entry = db.session.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
    assert (entry.action, entry.actor_id, entry.entity_id) == ("user.end_sessions", staff["director"].id, user.id)


# --- who is kept out -------------------------------------------------------------------------------

def _pages(staff):
    uid = staff["repair_tech"].id
    qid = staff["repair_tech"].qualifications[0].id
    return [
        ("get", "/staff/", None), ("get", "/staff/new", None), ("post", "/staff/new", _new_form()),
        ("get", f"/staff/{uid}", None), ("post", f"/staff/{uid}", {"name": "x", "role": "director"}),
        ("post", f"/staff/{uid}/active", {"active": "0"}),
        ("post", f"/staff/{uid}/password", {"password": GOOD_PASSWORD}),
        ("post", f"/staff/{uid}/sessions/end", {}),
        ("post", f"/staff/{uid}/qualifications", _qual_form()),
        ("post", f"/staff/{uid}/qualifications/{qid}/remove", {}),
    ]


@pytest.mark.parametrize("role", ["meter_reader", "station_chief", "safety_officer"])
def test_other_roles_get_403_on_every_staff_page(staff, db, login, role):
    client = login(role)
    token_before = staff["repair_tech"].session_token
    for method, url, data in _pages(staff):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 403, (method, url)
    repair = _user(db, "repair_tech")
    assert repair.active and repair.role == "repair_tech" and repair.session_token == token_before
    assert len(repair.qualifications) == 1


def test_anonymous_is_sent_to_login(staff, db, client):
    for method, url, data in _pages(staff):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 302 and "/login" in response.location, (method, url)
    assert client.get("/staff/new").location.endswith("/login?next=/staff/new")
    assert _user(db, "repair_tech").active


def test_menu_shows_staff_only_to_the_director(staff, director, login):
    assert 'href="/staff/"' in director.get("/").get_data(as_text=True)
    assert 'href="/staff/"' not in login("meter_reader").get("/").get_data(as_text=True)


# --- the user's own password form ------------------------------------------------------------------

def test_own_password_policy_error_shows_next_to_new_password(staff, login):
    client = login("statistician")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post("/me/password", data={"current_password": "fieldsvc-demo",
                                                  "new_password": "short", "confirm_password": "short"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="e-new_password">[^<]*At least 10 characters', page)
    assert 'id="e-password"' not in page


def test_own_password_change_keeps_this_device(staff, login, client):
    me = login("statistician")
    response = me.post("/me/password", data={"current_password": "fieldsvc-demo",
                                              "new_password": GOOD_PASSWORD, "confirm_password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert me.get("/me").status_code == 200
    assert client.post("/login", data={"username": "statistician", "password": GOOD_PASSWORD}).status_code == 302
