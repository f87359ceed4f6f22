"""The metering pages: test entry (kept input on errors), result, check and issue, equipment, verify."""
import re

import pytest

from fieldsvc.metering.models import Equipment, MeteringDocument, MeterTest

EN = {"Accept-Language": "en"}


def test_form(lab, serial="LAB-S0001", errors=("0.40", "0.30", "-0.20"), **change) -> dict:
    from fieldsvc.metering import rules
    meter_size = {"LAB-S0001": "G2.5", "LAB-N0001": "G2.5", "LAB-B0001": "G10"}[serial]
    form = {"serial_no": serial, "verification": "initial", "equipment_id": str(lab.bench.id),
            "leak_equipment_id": str(lab.leak_bench.id),
            "temperature_c": "20.1", "humidity_pct": "50", "leak_test_ok": "1", "pressure_loss_pa": "150"}
    for i, (flow, e) in enumerate(zip(rules.default_flows(meter_size), errors, strict=True)):
        form.update({f"points-{i}-flow_m3h": str(flow), f"points-{i}-reference_l": "100.000",
                     f"points-{i}-indicated_l": f"{100 + float(e):.3f}"})
    form.update(change)
    return form


test_form.__test__ = False


def test_lab_page_and_menu(lab, login):
    page = login("metering_tech").get("/metering/", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Calibration reminders" in html and "EQ-0002" in html  # the expired standard is flagged
    home = login("metering_tech").get("/", headers=EN).get_data(as_text=True)
    assert 'href="/metering/"' in home


@pytest.mark.parametrize("username, status", [("meter_reader", 403), ("card_clerk", 403), ("director", 200),
                                              ("metering_head", 200)])
def test_lab_page_permissions(lab, login, username, status):
    assert login(username).get("/metering/").status_code == status


def test_pick_a_meter_by_serial(lab, login):
    client = login("metering_tech")
    assert client.get("/metering/tests/new").status_code == 200
    unknown = client.get("/metering/tests/new?serial_no=NOPE", headers=EN)
    assert unknown.status_code == 422 and "No meter with serial number NOPE" in unknown.get_data(as_text=True)
    form = client.get("/metering/tests/new?serial_no=LAB-S0001", headers=EN).get_data(as_text=True)
    # Default flows of a G2.5 prefilled: qmin, 0.2 qmax, qmax.
    for i, flow in enumerate(("0.025", "0.8", "4")):
        assert re.search(rf'name="points-{i}-flow_m3h"[^>]*value="{re.escape(flow)}"', form)
    assert 'data-figures="' in form and "&#34;qt&#34;: &#34;0.4&#34;" in form
    assert 'value="initial" selected' in form  # never verified, in stock
    assert "EQ-0002" not in form  # an expired standard is not offered
    assert "/static/js/metering.js" in form


def test_installed_meter_defaults_to_in_service(lab, login):
    form = login("metering_tech").get("/metering/tests/new?serial_no=LAB-N0001").get_data(as_text=True)
    assert 'value="in_service" selected' in form and "王小明" in form


def test_record_then_check_then_issue_through_the_pages(lab, login, db, client):
    tech = login("metering_tech")
    response = tech.post("/metering/tests/new", data=test_form(lab))
    assert response.status_code == 302
    test = db.session.query(MeterTest).one()
    page = tech.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "+0.40" in page and "Pass" in page
    assert "Confirm as checker" not in page  # the tester cannot check their own test
    checker = login("metering_tech2")
    assert "Confirm as checker" in checker.get(f"/metering/tests/{test.id}", headers=EN).get_data(as_text=True)
    assert checker.post(f"/metering/tests/{test.id}/check").status_code == 302
    head = login("metering_head")
    head_page = head.get(f"/metering/tests/{test.id}", headers=EN).get_data(as_text=True)
    assert "Issue the certificate" in head_page and "Checked by 何杰" in head_page
    issued = head.post(f"/metering/tests/{test.id}/issue", data={})
    assert issued.status_code == 302
    doc = db.session.query(MeteringDocument).one()
    shown = head.get(f"/metering/tests/{test.id}", headers=EN).get_data(as_text=True)
    assert doc.number in shown and doc.sha256 in shown and f"/api/v1/documents/{doc.number}.pdf" in shown
    assert client.get(f"/verify/{doc.number}").status_code == 200


def test_head_issues_naming_the_checker(lab, login, db):
    login("metering_tech").post("/metering/tests/new", data=test_form(lab, leak_test_ok="0"))
    test = db.session.query(MeterTest).one()
    head = login("metering_head")
    refused = head.post(f"/metering/tests/{test.id}/issue", data={"checker_id": lab.staff["metering_tech"].id},
                        headers=EN)
    assert refused.status_code == 422 and "another person than the tester" in refused.get_data(as_text=True)
    ok = head.post(f"/metering/tests/{test.id}/issue", data={"checker_id": lab.staff["metering_tech2"].id})
    assert ok.status_code == 302
    assert db.session.query(MeteringDocument).one().kind == "notice"


def test_bad_input_keeps_what_was_typed(lab, login, db):
    form = test_form(lab, temperature_c="warm", **{"points-1-flow_m3h": "9.5", "points-2-indicated_l": "99,8"})
    response = login("metering_tech").post("/metering/tests/new", data=form, headers=EN)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="warm"' in html and 'value="9.5"' in html and 'value="99,8"' in html
    assert 'id="e-points-1-flow_m3h"' in html and "Between qmin 0.025 and qmax 4" in html or "Not a valid number" in html
    assert 'id="e-points-2-indicated_l"' in html and 'id="e-temperature_c"' in html
    assert db.session.query(MeterTest).count() == 0


def test_out_of_range_flow_is_named_on_its_row(lab, login):
    response = login("metering_tech").post("/metering/tests/new", data=test_form(lab, **{"points-1-flow_m3h": "9.5"}),
                                           headers=EN)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="e-points-1-flow_m3h"' in html and "Between qmin 0.025 and qmax 4" in html


@pytest.mark.parametrize("typed, named", [
    ({"points-3-flow_m3h": "9.5"}, "points-3-flow_m3h"),  # refused by the rules (out of range)
    ({"points-3-reference_l": "abc"}, "points-3-reference_l"),  # refused by the schema
])
def test_a_point_error_lands_on_the_row_it_was_typed_in(lab, login, db, typed, named):
    form = test_form(lab, **{"points-1-flow_m3h": "", "points-1-reference_l": "", "points-1-indicated_l": "",
                             "points-3-flow_m3h": "2", "points-3-reference_l": "100.000",
                             "points-3-indicated_l": "100.100"})
    form.update(typed)  # rows 0, 2 and 3 filled: the third point is typed on row 3, not row 2
    response = login("metering_tech").post("/metering/tests/new", data=form, headers=EN)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="e-{named}"' in html and "Check the marked flow points." in html
    assert 'id="e-points-2-' not in html
    assert db.session.query(MeterTest).count() == 0


def test_a_blank_spare_row_is_ignored_but_a_half_filled_one_is_not(lab, login, db):
    client = login("metering_tech")
    half = client.post("/metering/tests/new", data=test_form(lab, **{"points-3-flow_m3h": "2"}), headers=EN)
    assert half.status_code == 422 and 'id="e-points-3-reference_l"' in half.get_data(as_text=True)
    assert client.post("/metering/tests/new", data=test_form(lab)).status_code == 302
    assert len(db.session.query(MeterTest).one().points) == 3


def test_expired_equipment_refused_on_the_page(lab, login):
    response = login("metering_tech").post("/metering/tests/new",
                                           data=test_form(lab, equipment_id=str(lab.expired_bench.id)), headers=EN)
    assert response.status_code == 422
    assert "expired" in response.get_data(as_text=True) and "recalibrated" in response.get_data(as_text=True)


def test_correction_page_is_prefilled(lab, login, db):
    tech = login("metering_tech")
    tech.post("/metering/tests/new", data=test_form(lab))
    test = db.session.query(MeterTest).one()
    page = tech.get(f"/metering/tests/{test.id}/correct", headers=EN).get_data(as_text=True)
    assert 'value="100.400"' in page and "keeps the date of the original test" in page


def test_equipment_pages(lab, login, db):
    client = login("metering_head")
    listing = client.get("/metering/equipment", headers=EN).get_data(as_text=True)
    assert "EQ-0001" in listing and "Calibration expired" in listing
    bad = client.post("/metering/equipment/new", data={"name": "新装置", "serial_no": "EQ-0001"}, headers=EN)
    assert bad.status_code == 422 and 'value="新装置"' in bad.get_data(as_text=True)
    ok = client.post("/metering/equipment/new", data={"name": "新装置", "serial_no": "EQ-0100", "kind": "leak_bench",
                                                      "calibration_cert": "JZ-1", "calibrated_on": "2026-01-05",
                                                      "calibration_expires_on": "2030-01-01"})
    assert ok.status_code == 302
    eq = db.session.query(Equipment).filter_by(serial_no="EQ-0100").one()
    assert (eq.status, eq.kind) == ("pending", "leak_bench")
    edit = client.post(f"/metering/equipment/{eq.id}/edit",
                       data={"name": "新装置 2", "serial_no": "EQ-0100", "kind": "leak_bench",
                             "version": eq.version, "active": "1"})
    assert edit.status_code == 302
    db.session.expire_all()
    assert db.session.get(Equipment, eq.id).name == "新装置 2"
    retire = client.post(f"/metering/equipment/{eq.id}/edit",
                         data={"name": "新装置", "serial_no": "EQ-0100", "kind": "leak_bench",
                               "version": db.session.get(Equipment, eq.id).version})
    assert retire.status_code == 302
    db.session.expire_all()
    assert db.session.get(Equipment, eq.id).active is False
    assert login("meter_reader").get("/metering/equipment").status_code == 403
    assert login("director").get("/metering/equipment/new").status_code == 403


def test_verify_page_is_public_and_masks_the_customer(lab, login, db, client):
    tech = login("metering_tech")
    tech.post("/metering/tests/new", data=test_form(lab, serial="LAB-N0001", verification="in_service"))
    test = db.session.query(MeterTest).one()
    login("metering_head").post(f"/metering/tests/{test.id}/issue", data={"checker_id": lab.staff["metering_tech2"].id})
    doc = db.session.query(MeteringDocument).one()
    from fieldsvc.metering.services.documents import verify_signature
    signed = verify_signature(doc.number)
    html = client.get(f"/verify/{doc.number.lower()}?s={signed}", headers=EN).get_data(as_text=True)  # the QR
    assert doc.number in html and doc.sha256 in html and "Valid" in html and "LAB-N0001" in html
    assert "王**" in html and "王小明" not in html and "31000001" not in html
    assert doc.valid_until.isoformat() in html
    # Numbers run in sequence: a bare or wrongly signed one shows validity and dates only (issue 23).
    for query in ("", "?s=", "?s=0000000000000000", f"?s={signed[:-1]}", f"?s={signed.upper()}x"):
        html = client.get(f"/verify/{doc.number}{query}", headers=EN).get_data(as_text=True)
        assert doc.number in html and "Valid" in html and doc.valid_until.isoformat() in html
        assert "LAB-N0001" not in html and "王" not in html and doc.sha256 not in html, query


def test_verify_page_is_rate_limited(app):
    from fieldsvc import create_app
    from tests.conftest import make_test_config
    config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    config.update(RATELIMIT_ENABLED=True, METERING_VERIFY_RATE_LIMIT="2 per minute")
    other = create_app(config)
    client = other.test_client()
    statuses = [client.get("/verify/JD-2026-000001").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
