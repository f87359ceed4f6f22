"""Issue #23 leftovers in HSE: a taken training topic is a Duplicate (the field's message on the page, typed
values kept); a posted status that is not one is refused without echoing it into the session cookie."""
import pytest
from sqlalchemy import func, select

from fieldsvc.errors import Conflict, Duplicate, Invalid
from fieldsvc.hse.models import Nonconformity, TrainingTopic
from fieldsvc.hse.services import capa, training

EN = {"Accept-Language": "en"}
COOKIE_BUDGET = 1500  # bytes: a session cookie with one short flash stays far below this


@pytest.fixture
def en_request(app):
    with app.test_request_context(headers={"Accept-Language": "en"}, method="POST"):
        yield


def _session_cookie(app, response) -> str:
    name = app.config["SESSION_COOKIE_NAME"]
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert cookies, "the flash is stored in the session cookie"
    return cookies[-1]


# --- training topics ---------------------------------------------------------------------------------

def test_a_taken_topic_is_a_duplicate(staff, db, en_request):
    training.create_topic(staff["safety_officer"], "Confined spaces")
    with pytest.raises(Duplicate) as caught:
        training.create_topic(staff["safety_officer"], "  Confined spaces ")
    assert caught.value.status == 409 and caught.value.errors == {"name": ["This topic already exists."]}


def test_a_taken_topic_on_the_page_is_the_fields_message_with_the_typed_values(staff, db, login):
    officer = login("safety_officer")
    form = {"form": "topic", "name": "Confined spaces", "description": "Permit to work"}
    assert officer.post("/hse/training/requirements", data=form).status_code == 302
    again = officer.post("/hse/training/requirements", data={**form, "description": "第二次输入的说明"}, headers=EN)
    page = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "This topic already exists." in page and "第二次输入的说明" in page and 'value="Confined spaces"' in page
    assert db.session.execute(select(func.count()).select_from(TrainingTopic)).scalar() == 1


def test_a_topic_race_is_409_not_500(staff, db, login, monkeypatch):
    """Both pass the check at once; the unique index stops the second."""
    officer = login("safety_officer")
    form = {"form": "topic", "name": "Confined spaces"}
    assert officer.post("/hse/training/requirements", data=form).status_code == 302
    real_execute = db.session.execute

    def nothing_taken(stmt, *args, **kwargs):  # the check sees no topic; everything else is real
        result = real_execute(stmt, *args, **kwargs)
        if "hse_training_topics.id" in str(stmt) and "hse_training_topics.name =" in str(stmt):
            return real_execute(select(TrainingTopic.id).where(TrainingTopic.id < 0))
        return result
    monkeypatch.setattr(db.session, "execute", nothing_taken)
    again = officer.post("/hse/training/requirements", data=form, headers=EN)
    monkeypatch.undo()
    assert again.status_code == 409
    assert db.session.execute(select(func.count()).select_from(TrainingTopic)).scalar() == 1


# --- a nonconformity's status change -------------------------------------------------------------------

@pytest.fixture
def nc(staff, db, en_request):
    row = capa.create(staff["safety_officer"], {"title": "Van extinguisher", "description": "Expired",
                                                "origin": "audit"})
    db.session.commit()
    return row


def test_the_service_refuses_an_unknown_status_without_repeating_it(staff, db, nc):
    with pytest.raises(Conflict) as caught:
        capa.transition(staff["safety_officer"], nc, "<b>" + "x" * 50)
    assert "x" * 10 not in caught.value.message and "<b>" not in caught.value.message
    assert caught.value.message == "A nonconformity cannot go from Draft to that status."
    with pytest.raises(Invalid) as too_long:
        capa.transition(staff["safety_officer"], nc, "cancelled", reason="r" * (capa.REASON_MAX + 1))
    assert too_long.value.errors == {"reason": [f"At most {capa.REASON_MAX} characters."]}
    assert nc.status == "draft"


@pytest.mark.parametrize("form", [
    {"to": "x" * 10_000},
    {"to": "analysis" + " " * 10_000},
    {"to": "cancelled", "reason": "y" * 10_000},
])
def test_a_10kb_post_keeps_the_cookie_small_and_never_500s(app, staff, db, login, nc, form):
    officer = login("safety_officer")
    response = officer.post(f"/hse/nonconformities/{nc.id}/transition", data=form, headers=EN)
    assert response.status_code in (302, 422)
    if response.status_code == 302:
        assert len(_session_cookie(app, response)) < COOKIE_BUDGET
        page = officer.get(response.location, headers=EN).get_data(as_text=True)
        assert "cannot go from Draft to that status" in page and "x" * 100 not in page
    else:  # re-rendered with the reason's message, nothing flashed
        assert "At most 2000 characters." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Nonconformity, nc.id).status == "draft"


def test_the_api_still_names_the_field(staff, db, api, nc):
    client, headers = api("safety_officer")
    response = client.post(f"/api/v1/hse/nonconformities/{nc.id}/transition", json={"to": "x" * 10_000},
                           headers={**headers, **EN})
    assert response.status_code == 422 and "to" in response.json["errors"]
