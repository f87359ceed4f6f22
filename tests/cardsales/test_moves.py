"""What a sale's page offers (moves.available_moves), role by role and state by state, and that it is what
the services accept: the sale's table and its reversal request's, through the same check."""
import pytest

from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardReversal, CardSale
from fieldsvc.cardsales.services import moves, reversals, writing
from fieldsvc.errors import NotAllowed, NotAuthenticated
from tests.cardsales.conftest import complete, sell

ROLES = ("card_clerk", "card_clerk2", "station_chief", "director", "statistician")
NOBODY = dict.fromkeys(ROLES, [])

# (sale status, kind, an open request) → {who: the actions offered, in table order}
OFFERED = [
    ("pending", "purchase", False, {**NOBODY, "card_clerk": ["write", "reverse"]}),
    ("written", "purchase", False, {**NOBODY, "card_clerk": ["confirm", "reverse"]}),
    ("confirmed", "purchase", False, {**NOBODY, "card_clerk": ["request"]}),
    ("confirmed", "purchase", True, {**NOBODY, "station_chief": ["approve", "reject"], "director": ["approve", "reject"]}),
    ("confirmed", "transfer", False, NOBODY),  # carried volume is not reversed at the desk
    ("reversed", "purchase", False, NOBODY),
]


# The tables themselves: (from, to) → (action, who, needs a reason); anything else is illegal.
SALE_EXPECTED = {
    ("pending", "written"): ("write", "clerk", False),
    ("pending", "reversed"): ("reverse", "clerk", True),
    ("written", "confirmed"): ("confirm", "clerk", False),
    ("written", "reversed"): ("reverse", "clerk", True),
    ("confirmed", "reversed"): ("reverse", "chief", True),
}
REVERSAL_EXPECTED = {
    ("none", "requested"): ("request", "clerk", True),
    ("requested", "approved"): ("approve", "chief", False),
    ("requested", "rejected"): ("reject", "chief", False),
}


@pytest.mark.parametrize(("machine", "states", "expected"), [
    (rules.SALE_MACHINE, [s.value for s in rules.Status], SALE_EXPECTED),
    (rules.REVERSAL_MACHINE, [s.value for s in rules.ReversalStatus], REVERSAL_EXPECTED),
])
def test_every_pair_of_the_tables(machine, states, expected):
    for frm in states:
        for to in states:
            move = machine.move(frm, to)
            assert (move and (move.action, move.by.value, move.needs_reason)) == expected.get((frm, to)), (frm, to)


@pytest.mark.parametrize(("status", "kind", "open_request", "state"), [
    ("pending", "purchase", False, None), ("written", "purchase", False, None),
    ("confirmed", "purchase", False, "none"), ("confirmed", "purchase", True, "requested"),
    ("confirmed", "transfer", False, None), ("reversed", "purchase", False, None),
])
def test_where_a_sale_stands_in_the_reversal_table(status, kind, open_request, state):
    assert rules.reversal_state(status, kind, open_request) == state


def _user(world, role):
    return world.clerk2 if role == "card_clerk2" else world.staff[role]


@pytest.fixture
def sale(world, api_en, db):
    clerk, headers = api_en("card_clerk")
    return db.session.get(CardSale, sell(clerk, headers, world.card(), 10, "cash", paid=40).json["id"])


@pytest.mark.parametrize(("status", "kind", "requested", "expected"), OFFERED)
def test_what_each_role_is_offered(world, sale, db, status, kind, requested, expected):
    sale.status, sale.kind = status, kind
    if requested:
        db.session.add(CardReversal(sale_id=sale.id, reason="顾客要求退气", requested_by=world.clerk.id,
                                    status="requested"))
    db.session.flush()
    db.session.expire(sale, ["reversals"])
    for role, actions in expected.items():
        steps = moves.available_moves(_user(world, role), sale)
        assert [s.action for s in steps] == actions, role
        for step in steps:  # each offered move's table says so, and the service's own check lets it through
            machine = rules.REVERSAL_MACHINE if step.action in ("request", "approve", "reject") else rules.SALE_MACHINE
            assert machine.move(step.source, step.to) == step.move
            writing.authorise(_user(world, role), sale, step.by)


@pytest.mark.parametrize("role", ROLES)
def test_the_chiefs_reversal_of_a_confirmed_sale_is_only_offered_as_the_decision(world, sale, role):
    sale.status = "confirmed"
    assert "reverse" not in [s.action for s in moves.available_moves(_user(world, role), sale)]


@pytest.mark.parametrize("role", ["card_clerk2", "station_chief", "statistician"])
def test_what_is_not_offered_is_refused(world, sale, role):
    """The same check refuses: another clerk, the chief or a reader cannot write the clerk's sale."""
    with pytest.raises((NotAllowed, NotAuthenticated)):
        writing.write_card(_user(world, role), sale)
    with pytest.raises((NotAllowed, NotAuthenticated)):
        reversals.reverse(_user(world, role), sale, "wrong")


def test_nothing_is_offered_once_the_day_is_closed(world, api_en, db):
    clerk, headers = api_en("card_clerk")
    done = complete(clerk, headers, sell(clerk, headers, world.card(), 10, "cash", paid=40).json["id"])
    one = db.session.get(CardSale, done["id"])
    assert [s.action for s in moves.available_moves(world.clerk, one)] == ["request"]
    closed = clerk.post("/api/v1/card-days", headers=headers,
                        json={"outlet_id": one.outlet_id, "counted_cash": str(one.amount_due)})
    assert closed.status_code == 201, closed.json
    assert moves.available_moves(world.clerk, one) == []


def test_anonymous_is_offered_nothing(world, sale):
    class Anonymous:
        is_authenticated = False
    assert moves.available_moves(Anonymous(), sale) == []


def test_the_page_draws_the_offered_moves(world, sale, login_en, monkeypatch):
    url = f"/cardsales/sales/{sale.id}"
    page = login_en("card_clerk").get(url).get_data(as_text=True)
    assert f"/cardsales/sales/{sale.id}/write" in page and f"/cardsales/sales/{sale.id}/reverse" in page
    chief = login_en("station_chief").get(url).get_data(as_text=True)
    assert f"/sales/{sale.id}/write" not in chief and f"/sales/{sale.id}/reverse" not in chief
    # The page asks the service, nothing else: offered nothing, the clerk's own sale shows no button.
    monkeypatch.setattr(moves, "available_moves", lambda actor, s: [])
    quiet = login_en("card_clerk").get(url).get_data(as_text=True)
    assert f"/sales/{sale.id}/write" not in quiet and f"/sales/{sale.id}/reverse" not in quiet


def test_the_decision_form_is_the_chiefs(world, sale, api_en, login_en):
    clerk, headers = api_en("card_clerk")
    complete(clerk, headers, sale.id)
    asked = clerk.post(f"/api/v1/card-sales/{sale.id}/reverse", headers=headers, json={"reason": "顾客要求退气"})
    assert asked.status_code == 200, asked.json
    url = f"/cardsales/sales/{sale.id}"
    assert f"/sales/{sale.id}/decision" in login_en("station_chief").get(url).get_data(as_text=True)
    own = login_en("card_clerk").get(url).get_data(as_text=True)
    assert f"/sales/{sale.id}/decision" not in own and f"/sales/{sale.id}/reverse" not in own
