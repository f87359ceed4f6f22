"""Internal audits and the management review: an audit finding raises one nonconformity; only the
director approves the review, whose corrective decisions then become nonconformities; the PDF."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.errors import Conflict, Duplicate, Invalid, NotAllowed
from fieldsvc.hse.models import HseAudit, Nonconformity
from fieldsvc.hse.services import audits


def _audit(staff, **changes):
    data = {"title": "营业所HSE体系内部审核", "unit": "station", "scope_clauses": "4.3.2; 4.4.6",
            "auditor_id": staff["director"].id, "planned_on": clock.today() - timedelta(days=3)}
    data.update(changes)
    return audits.create_audit(staff["safety_officer"], data)


def _review(staff, **changes):
    data = {"year": clock.today().year, "held_on": clock.today(), "participants": "主任、安全员",
            "conclusion": "体系运行有效"}
    data.update(changes)
    return audits.create_review(staff["safety_officer"], data)


def _nc_count(db, entity):
    return db.session.execute(select(func.count(Nonconformity.id)).where(
        Nonconformity.source_entity == entity)).scalar_one()


def test_audit_finding_raises_one_nonconformity(db, staff):
    officer = staff["safety_officer"]
    item = _audit(staff)
    with pytest.raises(Conflict):  # findings once conducted
        audits.add_finding(officer, item, "4.5.3", "隐患超期未复查")
    audits.conduct(officer, item, clock.today(), "总体有效")
    finding = audits.add_finding(officer, item, "4.5.3", "隐患超期未复查")
    nc = finding.nonconformity
    assert nc is not None and nc.origin == "audit" and nc.unit == "station" and nc.source_id == finding.id
    audits.add_finding(officer, item, "4.4.2", "培训记录不全")
    assert _nc_count(db, "hse_audit_finding") == 2 and len(item.findings) == 2


def test_audit_programme_rules(db, staff):
    officer = staff["safety_officer"]
    with pytest.raises(Invalid) as exc:
        _audit(staff, unit="mars")
    assert "unit" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        _audit(staff, auditor_id=999999)
    assert "auditor_id" in exc.value.errors
    item = _audit(staff)
    with pytest.raises(Invalid):
        audits.conduct(officer, item, clock.today() + timedelta(days=1), "x")
    with pytest.raises(NotAllowed):
        audits.create_audit(staff["director"], {"title": "x"})
    audits.cancel(officer, item, "改期")
    with pytest.raises(Conflict):
        audits.update_audit(officer, item, {"title": "y"})


def test_review_approval_only_by_the_director(db, staff):
    review = _review(staff)
    for role in ("safety_officer", "station_chief", "metering_head"):
        with pytest.raises(NotAllowed):
            audits.approve(staff[role], review)
    audits.approve(staff["director"], review)
    assert review.status == "approved" and review.approved_by == staff["director"].id
    with pytest.raises(Conflict):
        audits.approve(staff["director"], review)
    with pytest.raises(Conflict):
        audits.update_review(staff["safety_officer"], review, {"conclusion": "changed"})


def test_approval_turns_corrective_decisions_into_nonconformities(db, staff):
    officer = staff["safety_officer"]
    review = _review(staff)
    owner = staff["station_chief"]
    due = clock.today() + timedelta(days=60)
    audits.add_decision(officer, review, {"kind": "corrective", "description": "建立拒绝入户跟踪台账",
                                          "owner_id": owner.id, "due_on": due})
    audits.add_decision(officer, review, {"kind": "action", "description": "学习CJJ 51", "owner_id": officer.id,
                                          "due_on": due})
    assert _nc_count(db, "hse_review_decision") == 0  # nothing before the approval
    audits.approve(staff["director"], review)
    corrective, plain = review.decisions
    assert corrective.nonconformity is not None and plain.nonconformity_id is None
    assert _nc_count(db, "hse_review_decision") == 1
    action = corrective.nonconformity.actions[0]
    assert action.owner_id == owner.id and action.deadline == due and action.kind == "corrective"


def test_review_needs_a_conclusion_and_one_a_year(db, staff):
    review = _review(staff, conclusion=None)
    with pytest.raises(Invalid) as exc:
        audits.approve(staff["director"], review)
    assert "conclusion" in exc.value.errors
    with pytest.raises(Duplicate):
        _review(staff)


def test_inputs_are_gathered(db, staff):
    item = _audit(staff, planned_on=clock.today().replace(month=1, day=2))
    audits.conduct(staff["safety_officer"], item, item.planned_on, "ok")
    audits.add_finding(staff["safety_officer"], item, "4.5.3", "x")
    review = _review(staff)
    assert review.inputs["audits"] == {"planned": 1, "conducted": 1, "findings": 1}
    assert "compliance.rate" in review.inputs["kpis"]["figures"]
    assert review.inputs["incidents"]["total"] == 0
    assert review.inputs["nonconformities_open"] >= 1


# --- pages --------------------------------------------------------------------------------------------

def test_pages_approve_and_pdf(db, staff, login):
    review = _review(staff)
    db.session.commit()
    officer = login("safety_officer")
    assert officer.post(f"/hse/reviews/{review.id}/approve").status_code == 403
    assert "Approve" not in officer.get(f"/hse/reviews/{review.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True).split("h-decisions")[1]
    director = login("director")
    response = director.post(f"/hse/reviews/{review.id}/approve", data={"version": review.version})
    assert response.status_code == 302
    db.session.refresh(review)
    assert review.status == "approved"
    pdf = director.get(f"/hse/reviews/{review.id}/review.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_forms_keep_what_was_typed(db, staff, login):
    client = login("safety_officer")
    response = client.post("/hse/audits/new", data={"title": "计量室审核", "unit": "metering_office",
                                                    "scope_clauses": "4.4.6", "auditor_id": "abc",
                                                    "planned_on": "0000-00-00"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "计量室审核" in page and "0000-00-00" in page
    assert db.session.execute(select(func.count(HseAudit.id))).scalar_one() == 0
    review = _review(staff)
    db.session.commit()
    response = client.post(f"/hse/reviews/{review.id}/decisions", data={
        "kind": "corrective", "description": "复访拒绝入户用户", "owner_id": str(10**30), "due_on": "2026-02-30"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "复访拒绝入户用户" in page


def test_finding_page_and_export(db, staff, login):
    item = _audit(staff)
    audits.conduct(staff["safety_officer"], item, clock.today(), "ok")
    db.session.commit()
    client = login("safety_officer")
    response = client.post(f"/hse/audits/{item.id}/findings", data={"clause": "4.5.3", "description": "隐患超期"})
    assert response.status_code == 302
    assert _nc_count(db, "hse_audit_finding") == 1
    chief = login("station_chief")
    page = chief.get(f"/hse/audits?q=营业所&year={item.planned_on.year}").get_data(as_text=True)
    assert "营业所HSE体系内部审核" in page
    assert chief.get("/hse/audits.xlsx").status_code == 200
    assert chief.post(f"/hse/audits/{item.id}/findings", data={"clause": "x", "description": "y"}).status_code == 403
