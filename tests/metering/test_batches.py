"""Batch sessions of new meters: shared conditions, one test per meter, a report PDF, issue at once."""
import io
import re

from pypdf import PdfReader

from fieldsvc.metering.models import BatchSession, MeteringDocument, MeterTest
from tests.metering.test_pages import EN


def _open(lab, client, **change):
    form = {"reference": "DN-2026-118", "verification": "initial", "equipment_id": str(lab.bench.id),
            "leak_equipment_id": str(lab.leak_bench.id),
            "temperature_c": "20.0", "humidity_pct": "48"}
    form.update(change)
    return client.post("/metering/batches", data=form, headers=EN)


def _readings(flows, errors=("0.40", "0.30", "-0.20"), leak="1", loss="150") -> dict:
    form = {"leak_test_ok": leak, "pressure_loss_pa": loss}
    for i, (flow, e) in enumerate(zip(flows, errors, strict=True)):
        form.update({f"points-{i}-flow_m3h": flow, f"points-{i}-reference_l": "100.000",
                     f"points-{i}-indicated_l": f"{100 + float(e):.3f}"})
    return form


G25 = ("0.025", "0.8", "4")


def test_a_whole_session(lab, login, db, client, make):
    tech = login("metering_tech")
    opened = _open(lab, tech)
    assert opened.status_code == 302
    batch = db.session.query(BatchSession).one()
    for n in range(3):
        make.meter(f"NEW-{n}", maker="先锋电子", commit=False)
    db.session.commit()
    form_page = tech.get(f"/metering/batches/{batch.id}?serial_no=NEW-0", headers=EN).get_data(as_text=True)
    assert 'name="points-1-flow_m3h"' in form_page and 'value="0.8"' in form_page
    for n, errors in enumerate((("0.40", "0.30", "-0.20"), ("3.20", "0.30", "-0.20"), ("0", "0", "0"))):
        response = tech.post(f"/metering/batches/{batch.id}",
                             data={"serial_no": f"NEW-{n}", **_readings(G25, errors)})
        assert response.status_code == 302, response.get_data(as_text=True)
    tests = db.session.query(MeterTest).filter_by(batch_id=batch.id).all()
    assert [t.ok for t in tests] == [True, False, True]
    assert all(t.equipment_id == lab.bench.id and str(t.temperature_c) in ("20.0", "20") for t in tests)
    again = tech.post(f"/metering/batches/{batch.id}", data={"serial_no": "NEW-0", **_readings(G25)}, headers=EN)
    assert again.status_code == 422 and "already in this session" in again.get_data(as_text=True)
    installed = tech.post(f"/metering/batches/{batch.id}", data={"serial_no": "LAB-N0001", **_readings(G25)},
                          headers=EN)
    assert installed.status_code == 422 and "not in stock" in installed.get_data(as_text=True)

    report = tech.get(f"/metering/batches/{batch.id}/report.pdf")
    assert report.mimetype == "application/pdf"
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.data)).pages))
    for expected in ("批量检定报告", "DN-2026-118", "NEW-0", "NEW-1", "NEW-2", "+3.20", "共3只，合格2只，不合格1只",
                     "第1个流量点示值误差超出最大允许误差", "钟罩式气体流量标准装置"):
        assert expected in text, expected

    other = login("metering_tech2")
    assert other.post(f"/metering/batches/{batch.id}", data={"serial_no": "NEW-0"}).status_code == 403

    head = login("metering_head")
    issued = head.post(f"/metering/batches/{batch.id}/issue", data={"checker_id": lab.staff["metering_tech2"].id})
    assert issued.status_code == 302
    kinds = sorted(d.kind for d in db.session.query(MeteringDocument))
    assert kinds == ["certificate", "certificate", "notice"]
    assert tech.post(f"/metering/batches/{batch.id}/close").status_code == 302
    closed = tech.post(f"/metering/batches/{batch.id}", data={"serial_no": "NEW-0"}, headers=EN)
    assert closed.status_code == 409


def test_opening_needs_valid_equipment_and_licence(lab, login, db):
    refused = _open(lab, login("metering_tech"), equipment_id=str(lab.expired_bench.id))
    assert refused.status_code == 422 and 'value="DN-2026-118"' in refused.get_data(as_text=True)
    assert _open(lab, login("metering_tech"), verification="in_service").status_code == 422
    assert db.session.query(BatchSession).count() == 0
    assert _open(lab, login("director")).status_code == 403
