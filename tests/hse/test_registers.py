"""Register services: stored assessment, residual risk, review reminders, retire, audit trail."""
from datetime import timedelta
from decimal import Decimal

import pytest

from fieldsvc import clock
from fieldsvc.audit import history
from fieldsvc.errors import Conflict, Invalid, NotAllowed
from fieldsvc.hse.services import registers


def test_stored_assessment_and_audit(db, staff, hazard_payload):
    officer = staff["safety_officer"]
    hazard = registers.create_hazard(officer, hazard_payload(direct_criteria=["regulation_breach"]))
    db.session.commit()
    assert (hazard.d, hazard.grade, hazard.colour, hazard.significant) == (Decimal(360), 1, "red", True)
    assert hazard.unit == "office"  # the safety officer's department by default
    assert hazard.criteria == ["regulation_breach"]
    assert [e.action for e in history("hse_hazard", hazard.id)] == ["hse_hazard.create"]


def test_residual_all_or_none_and_never_above_initial(db, staff, hazard_payload):
    officer = staff["safety_officer"]
    with pytest.raises(Invalid) as exc:
        registers.create_hazard(officer, hazard_payload(residual_l="1"))
    assert set(exc.value.errors) == {"residual_e", "residual_c"}
    with pytest.raises(Invalid) as exc:
        registers.create_hazard(officer, hazard_payload(residual_l="4", residual_e="3", residual_c="40"))
    assert list(exc.value.errors) == ["residual_l"]
    with pytest.raises(Invalid) as exc:
        registers.create_hazard(officer, hazard_payload(l="1", residual_l="3", residual_e="3", residual_c="40"))
    assert list(exc.value.errors) == ["residual_l"]
    hazard = registers.create_hazard(officer, hazard_payload(residual_l="1", residual_e="3", residual_c="40"))
    assert (hazard.residual_d, hazard.residual_grade) == (Decimal(120), 3)


def test_update_reassesses_and_clears_criteria(db, staff, hazard_payload):
    officer = staff["safety_officer"]
    hazard = registers.create_hazard(officer, hazard_payload(l="1", e="1", c="1", direct_criteria=["past_accident"]))
    assert hazard.significant
    registers.update_hazard(officer, hazard, {"direct_criteria": []})
    assert (hazard.grade, hazard.significant) == (5, False)
    registers.update_hazard(officer, hazard, {"l": "10", "e": "6", "c": "7"})
    assert (hazard.d, hazard.grade, hazard.colour, hazard.significant) == (Decimal(420), 1, "red", True)
    actions = [e.action for e in history("hse_hazard", hazard.id)]
    assert actions == ["hse_hazard.create", "hse_hazard.update", "hse_hazard.update"]
    with pytest.raises(Conflict):
        registers.update_hazard(officer, hazard, {"l": "1"}, version=hazard.version - 1)


def test_services_refuse_writers_without_permission(db, staff, hazard_payload, aspect_payload):
    # Unit heads (station_chief, metering_head) write their own unit's lines: tests/hse/test_units.py.
    for role in ("repair_tech", "meter_reader", "pipe_fitter", "card_clerk", "statistician", "metering_tech"):
        with pytest.raises(NotAllowed):
            registers.create_hazard(staff[role], hazard_payload())
        with pytest.raises(NotAllowed):
            registers.create_aspect(staff[role], aspect_payload())


def test_owner_must_be_active_staff(db, staff, hazard_payload):
    staff["pipe_fitter"].active = False
    with pytest.raises(Invalid) as exc:
        registers.create_hazard(staff["safety_officer"], hazard_payload(owner_id=staff["pipe_fitter"].id))
    assert list(exc.value.errors) == ["owner_id"]


def test_review_reminders(db, staff, hazard_payload, aspect_payload):
    officer, today = staff["safety_officer"], clock.today()
    overdue = registers.create_hazard(officer, hazard_payload(review_on=today - timedelta(days=1)))
    due = registers.create_hazard(officer, hazard_payload(review_on=today + timedelta(days=30)))
    registers.create_hazard(officer, hazard_payload(review_on=today + timedelta(days=31)))
    aspect = registers.create_aspect(officer, aspect_payload(review_on=today))
    retired = registers.create_hazard(officer, hazard_payload(review_on=today - timedelta(days=9)))
    registers.retire(officer, retired, "activity stopped")
    rows = registers.review_reminders(staff["meter_reader"], today)
    assert [(k, r.id, s) for k, r, s in rows] == [("hazard", overdue.id, "overdue"), ("aspect", aspect.id, "due"),
                                                  ("hazard", due.id, "due")]
    listed, total = registers.list_hazards(officer, {"review": "1"}, today=today)
    assert {h.id for h in listed} == {overdue.id, due.id}


def test_retire_keeps_the_line(db, staff, hazard_payload):
    officer = staff["safety_officer"]
    hazard = registers.create_hazard(officer, hazard_payload())
    with pytest.raises(Invalid):
        registers.retire(officer, hazard, " ")
    registers.retire(officer, hazard, "No more riser work")
    assert registers.list_hazards(officer)[1] == 0
    assert registers.list_hazards(officer, {"status": "retired"})[1] == 1
    with pytest.raises(Conflict):
        registers.retire(officer, hazard, "again")


def test_filters_by_grade_cell_and_garbage_is_ignored(db, staff, hazard_payload):
    officer = staff["safety_officer"]
    registers.create_hazard(officer, hazard_payload())  # 3 × 3 × 40 grade 1
    registers.create_hazard(officer, hazard_payload(l="1", e="1", c="1"))
    assert registers.list_hazards(officer, {"grade": "1"})[1] == 1
    assert registers.list_hazards(officer, {"l": "3", "c": "40"})[1] == 1
    assert registers.list_hazards(officer, {"grade": "x", "l": "zz", "c": "40"})[1] == 2
    assert registers.list_hazards(officer, {"significant": "1"})[1] == 1


def test_aspect_kind_switch_clears_other_scores(db, staff, aspect_payload):
    officer = staff["safety_officer"]
    aspect = registers.create_aspect(officer, aspect_payload(a=5))
    assert (aspect.total, aspect.significant) == (9, True)
    registers.update_aspect(officer, aspect, {"kind": "resource", "f": 3, "g": 3})
    assert (aspect.a, aspect.b, aspect.f, aspect.g, aspect.total, aspect.significant) == (None, None, 3, 3, 6, False)
    with pytest.raises(Invalid) as exc:
        registers.update_aspect(officer, aspect, {"g": 2})
    assert list(exc.value.errors) == ["g"]
