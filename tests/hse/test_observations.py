"""Anyone reports from the phone (with a photo); the safety officer registers it or closes it."""
import io

from fieldsvc.hse.models import HseHazard, HseObservation
from fieldsvc.permissions import Role
from tests import factories


def _jpeg() -> bytes:
    return factories.jpeg((40, 30), (200, 40, 40))


def _report(client, **fields):
    data = {"kind": "hazard", "description": "Smell of gas in the basement meter room",
            "location": "Building 3 basement", "activity": "Meter reading"}
    data.update(fields)
    return client.post("/hse/report", data=data, content_type="multipart/form-data")


def test_every_role_can_report(db, staff, login):
    for role in Role:
        client = login(role.value)
        assert client.get("/hse/report").status_code == 200, role
        assert _report(client).status_code == 302, role
    assert db.session.query(HseObservation).count() == len(Role)


def test_report_with_photo_and_who_sees_it(db, staff, login):
    reader = login("meter_reader")
    response = _report(reader, photo=(io.BytesIO(_jpeg()), "IMG_0001.jpg"))
    assert response.status_code == 302
    observation = db.session.query(HseObservation).one()
    assert observation.photo_id and observation.reported_by == staff["meter_reader"].id
    photo = f"/uploads/{observation.photo_id}"
    assert reader.get(photo).status_code == 200
    assert reader.get(photo).mimetype == "image/jpeg"
    assert login("safety_officer").get(photo).status_code == 200
    assert login("repair_tech").get(photo).status_code == 404  # not theirs
    assert login("repair_tech").get(f"/hse/observations/{observation.id}").status_code == 404


def test_not_a_picture_keeps_what_was_typed(db, staff, login):
    response = _report(login("repair_tech"), description="Loose riser clamp",
                       photo=(io.BytesIO(b"not an image at all"), "x.jpg"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Loose riser clamp" in page and 'aria-invalid="true"' in page
    assert db.session.query(HseObservation).count() == 0


def test_missing_description_is_422(staff, login):
    response = _report(login("repair_tech"), description="")
    assert response.status_code == 422


def test_register_flow_prefills_and_links(db, staff, login):
    _report(login("meter_reader"))
    observation = db.session.query(HseObservation).one()
    officer = login("safety_officer")
    form = officer.get(f"/hse/hazards/new?observation_id={observation.id}")
    page = form.get_data(as_text=True)
    assert form.status_code == 200
    assert "Smell of gas in the basement meter room (Building 3 basement)" in page
    assert f'name="observation_id" value="{observation.id}"' in page
    assert 'value="reading_team" selected' in page  # the reporter's department
    response = officer.post("/hse/hazards/new", data={
        "observation_id": observation.id, "unit": "reading_team", "activity": "Meter reading",
        "description": "Gas in basement meter room", "accident_type": "poisoning_asphyxiation", "state": "normal",
        "l": "1", "e": "3", "c": "40", "direct_criteria": ["observed_danger"]})
    assert response.status_code == 302
    hazard = db.session.query(HseHazard).one()
    db.session.refresh(observation)
    assert (observation.status, observation.hazard_id) == ("registered", hazard.id)
    assert hazard.significant and hazard.criteria == ["observed_danger"]
    again = officer.get(f"/hse/hazards/new?observation_id={observation.id}")
    assert again.status_code == 409  # already reviewed


def test_close_with_reason(db, staff, login):
    _report(login("card_clerk"), kind="aspect", description="Bin overflowing")
    observation = db.session.query(HseObservation).one()
    officer = login("safety_officer")
    officer.post(f"/hse/observations/{observation.id}/close", data={"reason": ""})
    db.session.refresh(observation)
    assert observation.status == "open"
    officer.post(f"/hse/observations/{observation.id}/close", data={"reason": "Facilities issue, passed on"})
    db.session.refresh(observation)
    assert (observation.status, observation.close_reason) == ("closed", "Facilities issue, passed on")
    assert login("card_clerk").post(f"/hse/observations/{observation.id}/close",
                                    data={"reason": "x"}).status_code == 403


def test_aspect_registration_from_observation(db, staff, login):
    _report(login("pipe_fitter"), kind="aspect", description="Paint tins dumped in the verge")
    observation = db.session.query(HseObservation).one()
    officer = login("safety_officer")
    page = officer.get(f"/hse/aspects/new?observation_id={observation.id}").get_data(as_text=True)
    assert "Paint tins dumped in the verge" in page
    response = officer.post("/hse/aspects/new", data={
        "observation_id": observation.id, "unit": "pipe_crew", "activity": "Painting", "aspect": "Paint tins",
        "impact": "Soil pollution", "kind": "pollution", "state": "normal", "a": "1", "b": "5", "c": "1",
        "d": "1", "e": "1"})
    assert response.status_code == 302
    db.session.refresh(observation)
    assert observation.status == "registered" and observation.aspect_id
