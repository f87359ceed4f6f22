"""What a complaint's page offers (handling.available_moves) is exactly what the service accepts: for every
state and every kind of actor, each target is tried through handling.transition."""
import pytest

from fieldsvc.complaints import rules
from fieldsvc.complaints.services import handling
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotAuthenticated, NotFound

from .conftest import PATH, move_data

# A handler, the approver, someone who only takes complaints in, and someone outside complaints.
ACTORS = ("station_chief", "director", "card_clerk", "repair_tech")


def _complaint_in(make_complaint, db, status: str):
    if status in PATH:
        return make_complaint(upto=status)
    complaint = make_complaint()
    complaint.status = status  # rejected_invalid, closed_invalid: the state is what is tested
    db.session.commit()
    return complaint


def _accepts(db, actor, complaint, to) -> bool:
    """Whether the service takes this move (a form still missing fields is a move taken: Invalid)."""
    savepoint = db.session.begin_nested()
    try:
        data = move_data(to, complaint) if complaint.status == rules.Status.solution_proposed or to != "solution_approved" \
            else {}  # no solution to choose yet
        handling.transition(actor, complaint.id, to, {**data, "note": "test"}, complaint.version)
        return True
    except Invalid:
        return True
    except (NotAllowed, NotAuthenticated, NotFound, Conflict):
        return False
    finally:
        savepoint.rollback()
        db.session.expire_all()


@pytest.mark.parametrize("status", list(rules.Status))
def test_available_moves_are_what_the_service_accepts(make_complaint, staff, db, status):
    complaint = _complaint_in(make_complaint, db, status)
    for username in ACTORS:
        actor = staff[username]
        offered = [step.to for step in handling.available_moves(actor, complaint)]
        accepted = [to for to in rules.Status if _accepts(db, actor, complaint, to)]
        assert sorted(offered) == sorted(accepted), (username, status)
        assert complaint.status == status


def test_the_usual_step_comes_before_the_ones_that_need_a_reason(make_complaint, staff):
    complaint = make_complaint(upto="solution_proposed")
    assert [(s.to, s.action) for s in handling.available_moves(staff["director"], complaint)] == [
        ("solution_approved", "approve"), ("investigating", "send_back")]
    assert handling.available_moves(staff["station_chief"], complaint) == []
