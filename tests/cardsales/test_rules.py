"""Pure rules of IC-card sales: quotes by volume and by amount against the cycle's purchased volume,
payments, the two-phase states, the day's reconciliation, meter-change carry-over, receipt length."""
from datetime import date
from decimal import Decimal as D

import pytest

from fieldsvc.cardsales import rules
from fieldsvc.cardsales.rules import QuoteError, SaleFigure
from fieldsvc.readings.rules import RESIDENTIAL_TIERS as RES
from fieldsvc.readings.rules import Tier, cycle_start_of

FLAT = (Tier(None, D("3.45")),)
CYCLE = date(2026, 1, 1)


def split(quote):
    return [(x.tier, str(x.volume_m3), str(x.price), str(x.amount)) for x in quote.lines]


# --- by volume, against the year's cumulative purchased volume -------------------------------------------
@pytest.mark.parametrize("used, volume, lines, total", [
    ("0", "20", [(1, "20", "2.61", "52.20")], "52.20"),
    ("0", "350", [(1, "350", "2.61", "913.50")], "913.50"),                       # up to the bound exactly
    ("350", "10", [(2, "10", "3.13", "31.30")], "31.30"),                         # starts on the bound
    ("340", "20", [(1, "10", "2.61", "26.10"), (2, "10", "3.13", "31.30")], "57.40"),   # crosses one tier
    ("340", "200", [(1, "10", "2.61", "26.10"), (2, "150", "3.13", "469.50"), (3, "40", "3.92", "156.80")],
     "652.40"),                                                                    # crosses two tiers
    ("499", "2", [(2, "1", "3.13", "3.13"), (3, "1", "3.92", "3.92")], "7.05"),
    ("600", "5", [(3, "5", "3.92", "19.60")], "19.60"),
    ("0", "600", [(1, "350", "2.61", "913.50"), (2, "150", "3.13", "469.50"), (3, "100", "3.92", "392.00")],
     "1775.00"),
])
def test_quote_by_volume_residential(used, volume, lines, total):
    quote = rules.quote_by_volume(D(volume), D(used), RES, CYCLE)
    assert split(quote) == lines
    assert quote.amount == D(total) == sum(D(x[3]) for x in lines)
    assert quote.volume_m3 == D(volume) and quote.used_after_m3 == D(used) + D(volume)
    assert all(x.cycle_start == CYCLE for x in quote.lines)


def test_a_new_cycle_restarts_the_count():
    """600 m³ bought in 2025; in the 2026 cycle the purchased volume is 0 again, so tier 1."""
    last_year = rules.quote_by_volume(D(20), D(600), RES, date(2025, 1, 1))
    this_year = rules.quote_by_volume(D(20), D(0), RES, cycle_start_of(date(2026, 1, 3)))
    assert split(last_year) == [(3, "20", "3.92", "78.40")]
    assert split(this_year) == [(1, "20", "2.61", "52.20")]
    assert this_year.lines[0].cycle_start == date(2026, 1, 1)


@pytest.mark.parametrize("used, volume, step, lines, total", [
    # tenths: half-up per line, 0.1 × 2.61 = 0.261 → 0.26; 0.1 × 3.13 = 0.313 → 0.31
    ("349.9", "0.2", "0.1", [(1, "0.1", "2.61", "0.26"), (2, "0.1", "3.13", "0.31")], "0.57"),
    ("0", "12.5", "0.1", [(1, "12.5", "2.61", "32.63")], "32.63"),                 # 32.625 → 32.63
])
def test_quote_by_volume_in_tenths(used, volume, step, lines, total):
    quote = rules.quote_by_volume(D(volume), D(used), RES, CYCLE, step=D(step))
    assert split(quote) == lines and quote.amount == D(total)


def test_flat_price_for_commercial():
    assert split(rules.quote_by_volume(D(100), D(5000), FLAT)) == [(1, "100", "3.45", "345.00")]


@pytest.mark.parametrize("volume, step, code", [
    ("0", "1", "volume_not_positive"),
    ("-5", "1", "volume_not_positive"),
    ("10.5", "1", "volume_step"),
    ("0.05", "0.1", "volume_step"),
    ("10000", "1", "volume_too_large"),
])
def test_quote_by_volume_refuses(volume, step, code):
    with pytest.raises(QuoteError) as exc:
        rules.quote_by_volume(D(volume), D(0), RES, CYCLE, step=D(step))
    assert exc.value.code == code


# --- by amount: the largest volume whose price ≤ the amount, and the change -------------------------
@pytest.mark.parametrize("tiers, used, amount, step, volume, due, change", [
    (RES, "0", "100", "1", "38", "99.18", "0.82"),
    (RES, "0", "52.20", "1", "20", "52.20", "0.00"),          # exactly the price of 20 m³: no change
    (RES, "0", "52.19", "1", "19", "49.59", "2.60"),          # one cent short of 20 m³
    (RES, "0", "2.61", "1", "1", "2.61", "0.00"),             # the smallest sale
    (RES, "340", "100", "1", "33", "98.09", "1.91"),          # 10 m³ in tier 1, 23 m³ in tier 2
    (RES, "340", "57.40", "1", "20", "57.40", "0.00"),        # exactly across the boundary
    (RES, "340", "26.10", "1", "10", "26.10", "0.00"),        # exactly the rest of tier 1
    (RES, "490", "1000", "1", "257", "999.54", "0.46"),       # 10 m³ in tier 2, 247 m³ in tier 3
    (RES, "0", "10", "0.1", "3.8", "9.92", "0.08"),           # tenths: 3.9 m³ would be 10.18
    (RES, "0", "0.26", "0.1", "0.1", "0.26", "0.00"),         # 0.261 rounds to 0.26: still affordable
    (FLAT, "0", "100", "1", "28", "96.60", "3.40"),
    # each line rounds up half a cent: 2 m³ would cost 1.01 + 1.01 = 2.02 > 2.01, so 1 m³
    ((Tier(D(1), D("1.005")), Tier(None, D("1.005"))), "0", "2.01", "1", "1", "1.01", "1.00"),
    ((Tier(D(10), D(0)), Tier(None, D(2))), "0", "4", "1", "12", "4.00", "0.00"),   # a free first tier
])
def test_quote_by_amount(tiers, used, amount, step, volume, due, change):
    quote = rules.quote_by_amount(D(amount), D(used), tiers, CYCLE, step=D(step))
    assert (quote.volume_m3, quote.amount, quote.change) == (D(volume), D(due), D(change))
    assert quote.tendered == D(amount)
    # the largest: one step more costs more than the amount
    assert rules.price_of(quote.volume_m3 + D(step), D(used), tiers)[1] > D(amount)
    assert quote.amount == rules.quote_by_volume(quote.volume_m3, D(used), tiers, CYCLE, step=D(step)).amount


@pytest.mark.parametrize("tiers, amount, code", [
    (RES, "0", "amount_not_positive"),
    (RES, "-1", "amount_not_positive"),
    (RES, "2.60", "amount_too_small"),        # 1 m³ costs 2.61
    (RES, "100000", "volume_too_large"),
    ((Tier(None, D(0)),), "10", "free_gas"),
])
def test_quote_by_amount_refuses(tiers, amount, code):
    with pytest.raises(QuoteError) as exc:
        rules.quote_by_amount(D(amount), D(0), tiers, CYCLE)
    assert exc.value.code == code


def test_amount_too_small_names_the_price_of_one_step():
    with pytest.raises(QuoteError) as exc:
        rules.quote_by_amount(D("3.00"), D(350), RES, CYCLE)
    assert exc.value.data == {"price": D("3.13"), "step": D(1)}


# --- payment ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method, paid, ref, problems, change", [
    ("cash", "100", None, {}, "0.82"),
    ("cash", "99.18", None, {}, "0.00"),
    ("cash", None, None, {"amount_paid": "paid_missing"}, None),
    ("cash", "99", None, {"amount_paid": "paid_short"}, None),
    ("wechat", None, "WX123", {}, "0.00"),
    ("alipay", "99.18", "AP9", {}, "0.00"),
    ("card", None, "POS0001", {}, "0.00"),
    ("wechat", "100", "WX1", {"amount_paid": "electronic_exact"}, None),
    ("alipay", None, "  ", {"payment_ref": "reference_missing"}, None),
    ("card", None, None, {"payment_ref": "reference_missing"}, None),
    ("bitcoin", None, None, {"payment_method": "unknown_method"}, None),
    ("none", None, None, {"payment_method": "unknown_method"}, None),   # only transfers are unpaid
])
def test_payment(method, paid, ref, problems, change):
    due = D("99.18")
    paid = None if paid is None else D(paid)
    assert rules.check_payment(method, due, paid, ref) == problems
    if change is not None:
        assert rules.change_due(method, due, paid if paid is not None else due) == D(change)


# --- two-phase states ---------------------------------------------------------------------------------
@pytest.mark.parametrize("current, to, allowed", [
    ("pending", "written", True), ("pending", "reversed", True), ("pending", "confirmed", False),
    ("written", "confirmed", True), ("written", "reversed", True), ("written", "pending", False),
    ("confirmed", "reversed", True), ("confirmed", "written", False), ("confirmed", "pending", False),
    ("reversed", "pending", False), ("reversed", "confirmed", False), ("reversed", "written", False),
])
def test_transitions(current, to, allowed):
    assert rules.may_move(current, to) is allowed


@pytest.mark.parametrize("status, approval", [("pending", False), ("written", False), ("confirmed", True)])
def test_reversal_needs_approval_only_once_confirmed(status, approval):
    assert rules.needs_approval(status) is approval


# --- the day's reconciliation ------------------------------------------------------------------------
def fig(method, amount, status="confirmed", kind="purchase"):
    return SaleFigure(method, D(amount), status, kind)


@pytest.mark.parametrize("sales, counted, expected_cash, nets, unfinished, difference, net_total", [
    ([], None, "0.00", {}, 0, None, "0.00"),
    ([fig("cash", "99.18"), fig("cash", "52.20")], "151.38", "151.38", {"cash": "151.38"}, 0, "0.00", "151.38"),
    # a reversed cash sale is handed back: it leaves the expected cash
    ([fig("cash", "99.18"), fig("cash", "52.20", "reversed")], "99.18", "99.18", {"cash": "99.18"}, 0, "0.00",
     "99.18"),
    ([fig("cash", "100.00"), fig("wechat", "57.40"), fig("alipay", "26.10", "reversed"), fig("card", "10.00")],
     "95.00", "100.00", {"cash": "100.00", "wechat": "57.40", "alipay": "0.00", "card": "10.00"}, 0, "-5.00",
     "167.40"),
    ([fig("cash", "20.00", "pending"), fig("cash", "30.00", "written")], "50.00", "50.00", {"cash": "50.00"}, 2,
     "0.00", "50.00"),
    ([fig("none", "0.00", "confirmed", "transfer"), fig("cash", "10.00")], "12.00", "10.00", {"cash": "10.00"}, 0,
     "2.00", "10.00"),                                                             # transfers carry no money
])
def test_reconcile(sales, counted, expected_cash, nets, unfinished, difference, net_total):
    rec = rules.reconcile(sales, None if counted is None else D(counted))
    assert rec.expected_cash == D(expected_cash)
    by_method = {m.method: m for m in rec.methods}
    for method, net in nets.items():
        assert by_method[method].net == D(net)
    assert rec.unfinished == unfinished
    assert rec.difference == (None if difference is None else D(difference))
    assert rec.totals.net == D(net_total)
    assert rec.totals.gross - rec.totals.reversed == rec.totals.net


def test_reconcile_counts_reversals():
    rec = rules.reconcile([fig("cash", "10"), fig("cash", "20", "reversed"), fig("wechat", "5", "reversed")])
    cash = next(m for m in rec.methods if m.method == "cash")
    assert (cash.count, cash.gross, cash.reversed_count, cash.reversed, cash.net) == (2, D(30), 1, D(20), D(10))
    assert rec.totals.reversed_count == 2 and rec.electronic == D(0)


# --- meter change and receipt ------------------------------------------------------------------------
@pytest.mark.parametrize("remaining, delivered, step, problem", [
    ("0", "0", "1", None), ("12", "50", "1", None), ("50", "50", "1", None),
    ("51", "50", "1", "carry_too_large"), ("-1", "50", "1", "carry_negative"),
    ("2.5", "50", "1", "volume_step"), ("2.5", "50", "0.1", None),
])
def test_check_carry(remaining, delivered, step, problem):
    assert rules.check_carry(D(remaining), D(delivered), D(step)) == problem


def test_receipt_grows_with_its_lines():
    heights = [rules.receipt_height_mm(n) for n in range(1, 5)]
    assert heights == sorted(set(heights)) and heights[0] >= 120


@pytest.mark.parametrize("value, text", [("30.000", "30"), ("12.500", "12.5"), ("0.100", "0.1"), ("100", "100"),
                                         ("1E+3", "1000")])
def test_plain_volumes(value, text):
    assert rules.plain(D(value)) == text
