"""A taken username is a Duplicate (issue #23): 409 for callers that tell conflicts apart, the field's message
on the page with what was typed kept, and a race past the check is a 409, never a 500."""
import re

import pytest
from sqlalchemy import func, select

from fieldsvc.auth import services
from fieldsvc.auth.models import User
from fieldsvc.errors import Duplicate

EN = {"Accept-Language": "en"}
GOOD_PASSWORD = "Valve2026ok"


def _form(**overrides) -> dict:
    form = {"username": "qian", "name": "钱七", "role": "pipe_fitter", "phone": "13812345678",
            "district_id": "", "locale": "", "password": GOOD_PASSWORD}
    form.update(overrides)
    return form


@pytest.mark.parametrize("username", ["repair_tech", "Repair_Tech", " REPAIR_TECH "])
def test_a_taken_username_is_a_duplicate_whatever_its_case(staff, db, en_request, username):
    with pytest.raises(Duplicate) as caught:
        services.create_user(staff["director"], _form(username=username))
    assert caught.value.status == 409
    assert caught.value.errors == {"username": ["This username is taken."]}
    assert db.session.execute(select(func.count()).select_from(User).where(
        func.lower(User.username) == "repair_tech")).scalar() == 1


def test_the_page_shows_the_message_at_the_field_and_keeps_what_was_typed(staff, db, login):
    director = login("director")
    response = director.post("/staff/new", data=_form(username="repair_tech", name="钱七七"), headers=EN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="e-username">([^<]*)</p>', page)
    assert error and "This username is taken." in error.group(1)
    assert 'value="钱七七"' in page and 'value="repair_tech"' in page
    assert GOOD_PASSWORD not in page  # the password is never echoed back


def test_a_race_past_the_check_is_409_not_500(staff, db, login, monkeypatch):
    """Two directors at once both pass the check; the unique index stops the second."""
    monkeypatch.setattr(services, "_check_username_free", lambda username: None)
    director = login("director")
    response = director.post("/staff/new", data=_form(username="repair_tech"), headers=EN)
    assert response.status_code == 409
    assert "already stored" in response.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(User).where(
        User.username == "repair_tech")).scalar() == 1
