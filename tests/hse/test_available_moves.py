"""What a nonconformity's page offers (capa.available_moves) is exactly what the service accepts: for every
state and every kind of actor, each target is tried through capa.transition."""
import pytest

from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotAuthenticated, NotFound
from fieldsvc.hse import rules
from fieldsvc.hse.services import capa

# The safety office, the director (who alone closes), and two who may only see and report.
ACTORS = ("safety_officer", "director", "station_chief", "repair_tech")


def _accepts(db, actor, nc, to) -> bool:
    """Whether the service takes this move (one still blocked — no root cause, open actions — is a move
    taken whose form is refused: Invalid)."""
    savepoint = db.session.begin_nested()
    try:
        capa.transition(actor, nc, to, nc.version, reason="test")
        return True
    except Invalid:
        return True
    except (NotAllowed, NotAuthenticated, NotFound, Conflict):
        return False
    finally:
        savepoint.rollback()
        db.session.expire_all()


@pytest.mark.parametrize("status", rules.NC_STATES)
def test_available_moves_are_what_the_service_accepts(db, staff, status):
    nc = capa.create(staff["safety_officer"], {"origin": "audit", "title": "Extinguisher out of date",
                                               "description": "Found in van 2"})
    nc.status = status  # the state is what is tested, not the way there
    db.session.commit()
    for username in ACTORS:
        actor = staff[username]
        offered = [step.to for step in capa.available_moves(actor, nc)]
        accepted = [to for to in rules.NC_STATES if _accepts(db, actor, nc, to)]
        assert offered == accepted, (username, status)  # also in the order of the states
        assert nc.status == status


@pytest.mark.parametrize(("frm", "to"), list(rules.NC_MOVES))
def test_who_moves_is_read_from_the_target(frm, to):
    """The service asks who may move to a target before it knows the move is legal: the table agrees."""
    assert rules.NC_MOVES[(frm, to)].by == rules.nc_by(to)
    assert rules.NC_MOVES[(frm, to)].needs_reason is (to == "cancelled")
