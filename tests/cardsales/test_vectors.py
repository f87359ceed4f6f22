"""Cash change at the counter against the shared vectors (tests/vectors): the sale page's live change line
(cardsales.js) is held to the same ones by tests/browser/test_js_vectors.py."""
from decimal import Decimal

import pytest

from fieldsvc.cardsales import rules
from tests.vectors import ids, load

CHANGE = load("cash_change")


@pytest.mark.parametrize("vector", CHANGE, ids=ids(CHANGE))
def test_change(vector):
    i, expected = vector["input"], vector["expected"]
    due, paid = Decimal(i["due"]), Decimal(i["paid"])
    short = rules.check_payment("cash", due, paid, None).get("amount_paid") == "paid_short"
    assert short is expected["short"]
    assert str(rules.change_due("cash", due, paid)) == expected["difference"]
