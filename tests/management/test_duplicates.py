"""A policy number already in use (whatever the case) is a Duplicate: 409 `{"error"}` on the API, and on
the page the message at the number field with what was typed kept. Found by the service before the insert."""
import pytest

from fieldsvc.errors import Duplicate, handle_domain_error
from fieldsvc.management.models import Policy
from fieldsvc.management.services import policies

MESSAGE = "This number is already used by another policy."


def test_a_taken_number_is_a_duplicate_on_create_and_on_rename(staff, make_policy, db):
    first = make_policy(number="ZD-AQ-001")
    second = make_policy(number="ZD-AQ-002")
    with pytest.raises(Duplicate) as exc:
        policies.create_policy(staff["director"], {"number": "zd-aq-001", "title": "重复"})
    assert exc.value.status == 409 and exc.value.errors == {"number": [MESSAGE]}
    db.session.flush()
    assert db.session.query(Policy).count() == 2  # refused before the insert
    with pytest.raises(Duplicate):
        policies.update_policy(staff["safety_officer"], second, {"number": first.number})
    assert second.number == "ZD-AQ-002"
    policies.update_policy(staff["safety_officer"], second, {"number": "ZD-AQ-002", "title": "改名"})  # its own


def test_the_api_answers_409_with_the_message(staff, make_policy, app):
    make_policy(number="ZD-AQ-001")
    with pytest.raises(Duplicate) as exc:
        policies.create_policy(staff["director"], {"number": "ZD-AQ-001", "title": "重复"})
    with app.test_request_context("/api/v1/policies", headers={"Accept-Language": "en"}):
        response, status = handle_domain_error(exc.value)
    assert status == 409 and response.get_json() == {"error": MESSAGE}


@pytest.mark.parametrize("edit", [False, True])
def test_the_page_shows_it_at_the_field_with_the_typed_values(staff, make_policy, login, db, edit):
    make_policy(number="ZD-AQ-001")
    other = make_policy(number="ZD-AQ-002")
    client = login("safety_officer")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = f"/management/policies/{other.id}/edit" if edit else "/management/policies/new"
    form = {"number": "zd-aq-001", "title": "户内安检管理制度（修订）", "owner_id": staff["safety_officer"].id,
            "applies_to": ["repair_tech"]}
    response = client.post(url, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="zd-aq-001"' in page and "户内安检管理制度（修订）" in page
    assert page.index(MESSAGE) > page.index('name="number"')  # at the field
    assert db.session.get(Policy, other.id).number == "ZD-AQ-002"
