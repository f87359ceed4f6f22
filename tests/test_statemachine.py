"""The state machine every domain hands its table to: legal moves, moves out of a state, who may make them."""
import pytest

from fieldsvc.errors import Conflict, NotAllowed, NotAuthenticated, NotFound
from fieldsvc.statemachine import Machine, Move, Step, allowed, permitted

SUBMIT = Move("submit", "owner")
RETURN = Move("return", "boss", needs_reason=True)
APPROVE = Move("approve", "boss")
REOPEN = Move("reopen", "owner", needs_reason=True, reopens=True)
GO = Move("go", "owner", gps=True)
TABLE = {
    ("draft", "submitted"): SUBMIT,
    ("submitted", "draft"): RETURN,
    ("submitted", "approved"): APPROVE,
    ("approved", "draft"): REOPEN,
    ("approved", "gone"): GO,
}
MACHINE = Machine(TABLE)


@pytest.mark.parametrize(("frm", "to", "expected"), [
    *[(frm, to, m) for (frm, to), m in TABLE.items()],
    ("draft", "approved", None),  # not in the table: illegal
    ("draft", "draft", None),
    ("gone", "draft", None),  # a state nothing leaves
    ("flying", "draft", None),  # unknown states
    ("draft", "flying", None),
    (None, "draft", None),
    (["draft"], "submitted", None),  # an unhashable value from a form is not a state
])
def test_move(frm, to, expected):
    assert MACHINE.move(frm, to) == expected


@pytest.mark.parametrize(("state", "by", "expected"), [
    ("draft", None, [Step("draft", "submitted", SUBMIT)]),
    ("submitted", None, [Step("submitted", "draft", RETURN), Step("submitted", "approved", APPROVE)]),
    ("submitted", "boss", [Step("submitted", "draft", RETURN), Step("submitted", "approved", APPROVE)]),
    ("submitted", "owner", []),
    ("approved", "owner", [Step("approved", "draft", REOPEN), Step("approved", "gone", GO)]),
    ("approved", "boss", []),
    ("gone", None, []),
    ("flying", None, []),
])
def test_moves_from_in_table_order(state, by, expected):
    assert MACHINE.moves_from(state, by) == expected
    assert MACHINE.targets(state, by) == [step.to for step in expected]


def test_a_step_reads_like_its_move():
    step = MACHINE.moves_from("submitted", "boss")[0]
    assert (step.source, step.to, step.action, step.by, step.needs_reason) == (
        "submitted", "draft", "return", "boss", True)


def test_the_flags_default_to_off():
    assert (SUBMIT.needs_reason, SUBMIT.gps, SUBMIT.reopens) == (False, False, False)
    assert GO.gps and REOPEN.reopens and REOPEN.needs_reason


def test_moves_are_values():
    assert Move("submit", "owner") == SUBMIT and hash(Move("submit", "owner")) == hash(SUBMIT)
    with pytest.raises(AttributeError):
        SUBMIT.by = "boss"


def test_states_named_by_the_table():
    assert MACHINE.states == {"draft", "submitted", "approved", "gone"}


def test_the_machine_keeps_its_own_copy_of_the_table():
    table = dict(TABLE)
    machine = Machine(table)
    table[("gone", "draft")] = SUBMIT
    assert machine.move("gone", "draft") is None


@pytest.mark.parametrize(("state", "kinds", "expected"), [
    ("submitted", {"boss"}, ["draft", "approved"]),
    ("submitted", {"owner"}, []),
    ("submitted", {"owner", "boss"}, ["draft", "approved"]),
    ("approved", {"owner"}, ["draft", "gone"]),
    ("approved", set(), []),
    ("gone", {"owner", "boss"}, []),
])
def test_allowed_filters_by_who_may(state, kinds, expected):
    may = lambda move: move.by in kinds  # noqa: E731
    assert [s.to for s in allowed(MACHINE, state, may)] == expected
    assert MACHINE.allowed(state, may) == allowed(MACHINE, state, may)


def test_allowed_may_look_at_the_move_itself():
    """A domain may let one kind of actor make only some of its moves (e.g. no reopening)."""
    assert [s.to for s in MACHINE.allowed("approved", lambda m: not m.reopens)] == ["gone"]


@pytest.mark.parametrize(("raised", "expected"), [
    (None, True),
    (NotAllowed(), False),
    (NotFound(), False),
    (NotAuthenticated(), False),
])
def test_permitted_turns_the_services_refusal_into_a_predicate(app, raised, expected):
    def authorise(move):
        if raised is not None:
            raise raised
    assert permitted(authorise)(SUBMIT) is expected


def test_permitted_lets_other_errors_through(app):
    """Only a refusal of the actor means 'not offered'; anything else is a fault to see, not to hide."""
    def authorise(move):
        raise Conflict("not a question of who")
    with pytest.raises(Conflict):
        permitted(authorise)(SUBMIT)
