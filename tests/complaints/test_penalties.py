"""Penalties on the complaint's responsible person (处罚责任者): the director records and sees them; for
everyone else they are absent (page, complaint API output, ledger) and their own routes answer 403."""
import io

import pytest
from openpyxl import load_workbook

from fieldsvc import clock
from fieldsvc.complaints.models import ComplaintPenalty
from fieldsvc.complaints.services import penalties
from fieldsvc.errors import Invalid, NotAllowed
from tests.complaints.conftest import EN

SECRET = "停岗复训一天"


@pytest.fixture
def solved(make_complaint, staff, db):
    complaint = make_complaint(upto="resolved")
    complaint.responsible_id = staff["repair_tech"].id
    db.session.commit()
    return complaint


def test_the_director_records_a_penalty(solved, staff, db, en_request):
    p = penalties.record(staff["director"], solved.id, {"amount": "200.00", "measure": SECRET})
    assert (p.person_id, p.decided_by_id) == (staff["repair_tech"].id, staff["director"].id)
    assert [x.id for x in penalties.list_for(staff["director"], solved.id)] == [p.id]
    for role in ("station_chief", "statistician", "repair_tech", "card_clerk"):
        with pytest.raises(NotAllowed):
            penalties.record(staff[role], solved.id, {"measure": "x"})
        assert penalties.visible_for(staff[role], solved) is None


@pytest.mark.parametrize(("data", "field"), [
    ({}, "amount"),
    ({"amount": 0}, "amount"),
    ({"measure": "x", "decided_on": "2099-01-01"}, "decided_on"),
    ({"measure": "x", "person_id": 999}, "person_id"),
])
def test_bad_penalties_are_refused_naming_the_field(solved, staff, db, en_request, data, field):
    from fieldsvc.complaints import schemas
    with pytest.raises(Invalid) as refused:
        penalties.record(staff["director"], solved.id, schemas.PenaltyIn().load(data))
    assert field in refused.value.errors
    assert db.session.query(ComplaintPenalty).count() == 0


def test_no_responsible_person_no_penalty(make_complaint, staff, en_request):
    complaint = make_complaint(upto="contacted")
    with pytest.raises(Invalid) as refused:
        penalties.record(staff["director"], complaint.id, {"measure": "x"})
    assert "person_id" in refused.value.errors


def test_api_hostile_input_and_who_may(solved, api, db):
    client, headers = api("director")
    url = f"/api/v1/complaints/{solved.id}/penalties"
    for body, field in (({"amount": "abc"}, "amount"), ({"amount": {"x": 1}}, "amount"),
                        ({"amount": 1e12}, "amount"), ({"measure": "x", "decided_on": "2026-13-45"}, "decided_on"),
                        ({"measure": ["x"]}, "measure")):
        response = client.post(url, headers={**headers, **EN}, json=body)
        assert response.status_code == 422 and field in response.json["errors"], response.json
    created = client.post(url, headers=headers, json={"amount": "150", "measure": SECRET, "note": "考核"})
    assert created.status_code == 201 and created.json["person_id"] == solved.responsible_id
    assert client.get(url, headers=headers).json["items"][0]["measure"] == SECRET
    for role in ("station_chief", "statistician"):
        other, oh = api(role)
        assert other.get(url, headers=oh).status_code == 403
        assert other.post(url, headers=oh, json={"measure": "x"}).status_code == 403
        item = other.get(f"/api/v1/complaints/{solved.id}", headers=oh)
        assert item.status_code == 200 and SECRET not in item.get_data(as_text=True) and "penalt" not in item.json


def test_the_page_section_is_the_directors_only(solved, login, db, staff, en_request):
    director = login("director")
    page = director.get(f"/complaints/{solved.id}", headers=EN).get_data(as_text=True)
    assert 'id="c-penalties"' in page and "No penalty recorded." in page
    refused = director.post(f"/complaints/{solved.id}/penalties", headers=EN,
                            data={"amount": "12abc", "measure": SECRET})
    assert refused.status_code == 422 and SECRET in refused.get_data(as_text=True)
    assert db.session.query(ComplaintPenalty).count() == 0
    done = director.post(f"/complaints/{solved.id}/penalties", headers=EN, data={"amount": "200", "measure": SECRET})
    assert done.status_code == 302
    assert SECRET in director.get(f"/complaints/{solved.id}", headers=EN).get_data(as_text=True)
    chief = login("station_chief")
    page = chief.get(f"/complaints/{solved.id}", headers=EN).get_data(as_text=True)
    assert 'id="c-penalties"' not in page and SECRET not in page
    assert chief.post(f"/complaints/{solved.id}/penalties", data={"measure": "x"}).status_code == 403


def test_the_ledger_column_is_the_directors_only(solved, login, staff, db, en_request):
    penalties.record(staff["director"], solved.id, {"amount": "200.00", "measure": SECRET})
    db.session.commit()
    day = clock.business_date(solved.received_at).isoformat()  # the ledger counts days in China

    def ledger_text(user):
        response = login(user).get(f"/complaints/ledger.xlsx?from={day}&to={day}", headers=EN)
        assert response.status_code == 200
        return " ".join(str(v) for row in load_workbook(io.BytesIO(response.data)).active.values for v in row if v)
    assert SECRET in ledger_text("director") and "Penalties on the responsible person" in ledger_text("director")
    for user in ("statistician", "station_chief2"):
        text = ledger_text(user)
        assert SECRET not in text and "Penalties" not in text
