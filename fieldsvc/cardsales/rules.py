"""Pure rules of IC-card gas sales (RULES.md §9 on the tiered prices of §4). No database, no Flask.

Pricing reuses the one tier split of the readings domain (`fieldsvc.readings.rules.split_tiers`): a
purchase is priced against the volume the customer has already purchased in the annual cycle, so a
purchase that crosses a tier boundary is split, and the count restarts at 0 in a new cycle.

Volume step: IC-card meters take whole cubic metres, so a sale is a whole number of m³ by default
(`STEP`). The functions take a `step` so a deployment whose meters accept 0.1 m³ can set it
(config CARDSALES_VOLUME_STEP); the tests cover both.

Quote by amount: the customer hands over an amount; the sale is the LARGEST volume, a multiple of the
step, whose price (the sum of the tier lines, each rounded half-up to 0.01 yuan) is at most that
amount; the rest is the change. Prices never fall as the volume grows, so "largest" is well defined.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from fieldsvc.readings.rules import Tier, TierLine, money, split_tiers
from fieldsvc.statemachine import Machine, Move

STEP = Decimal(1)
ZERO = Decimal(0)
CENTS = Decimal("0.00")
MAX_VOLUME = Decimal(9999)  # the most one card purchase may carry (the meter's credit register)


class Status(StrEnum):
    pending = "pending"        # paid, purchase number taken, card not written yet
    written = "written"        # the card writer reported the purchase written
    confirmed = "confirmed"    # read back from the card: the purchase is on it
    reversed = "reversed"      # 冲正: kept, excluded from every total


class Kind(StrEnum):
    purchase = "purchase"      # gas bought and paid at the desk
    transfer = "transfer"      # remaining volume carried onto the card for a new meter (no money)


class Method(StrEnum):
    cash = "cash"
    card = "card"       # bank card on the POS terminal
    wechat = "wechat"
    alipay = "alipay"
    none = "none"       # transfers only


PAY_METHODS = (Method.cash, Method.card, Method.wechat, Method.alipay)
ELECTRONIC = (Method.card, Method.wechat, Method.alipay)
UNFINISHED = (Status.pending, Status.written)

class By(StrEnum):
    """Who makes a move (the services decide who that is): the clerk who took the money (card_sell, their
    own sale) or the station chief (card_reversal_approve)."""

    clerk = "clerk"
    chief = "chief"


# The two-phase write: pending → written → confirmed. A sale that was never confirmed is reversed by
# the clerk with a reason; a confirmed one only through a reversal request the station chief approves.
SALE_MOVES: dict[tuple[Status, Status], Move] = {
    (Status.pending, Status.written): Move("write", By.clerk),
    (Status.pending, Status.reversed): Move("reverse", By.clerk, needs_reason=True),
    (Status.written, Status.confirmed): Move("confirm", By.clerk),
    (Status.written, Status.reversed): Move("reverse", By.clerk, needs_reason=True),
    # The gas is on the card: made by the chief approving the clerk's request (REVERSAL_MOVES), not on its own.
    (Status.confirmed, Status.reversed): Move("reverse", By.chief, needs_reason=True),
}
SALE_MACHINE = Machine(SALE_MOVES)


class ReversalStatus(StrEnum):
    none = "none"              # not stored: a confirmed purchase nobody has asked to reverse (yet, or again)
    requested = "requested"
    approved = "approved"      # … and the sale is reversed
    rejected = "rejected"      # … and the sale stands


R = ReversalStatus
# The reversal request of a confirmed purchase: the clerk asks with a reason, the chief decides.
REVERSAL_MOVES: dict[tuple[ReversalStatus, ReversalStatus], Move] = {
    (R.none, R.requested): Move("request", By.clerk, needs_reason=True),
    (R.requested, R.approved): Move("approve", By.chief),
    (R.requested, R.rejected): Move("reject", By.chief),
}
REVERSAL_MACHINE = Machine(REVERSAL_MOVES)


def may_move(current: str, to: str) -> bool:
    return SALE_MACHINE.move(current, to) is not None


def needs_approval(status: str) -> bool:
    """Reversing a confirmed sale (the gas is on the card) needs the station chief's approval."""
    move = SALE_MACHINE.move(status, Status.reversed)
    return move is not None and move.by == By.chief


def reversal_state(status: str, kind: str, open_request: bool) -> ReversalStatus | None:
    """Where a sale stands in the reversal table: its open request, or `none` for a confirmed purchase
    that may be asked about; None when no request applies (unfinished, reversed, or a transfer)."""
    if open_request:
        return R.requested
    if status == Status.confirmed and kind == Kind.purchase:
        return R.none
    return None


class QuoteError(ValueError):
    """A quote that cannot be made; `code` names why (the services turn it into a message)."""

    def __init__(self, code: str, **data):
        super().__init__(code)
        self.code = code
        self.data = data


@dataclass(frozen=True)
class Quote:
    volume_m3: Decimal
    lines: tuple[TierLine, ...]
    amount: Decimal                 # due
    used_before_m3: Decimal         # purchased earlier in the cycle
    cycle_start: date | None = None
    tendered: Decimal | None = None  # quote by amount: what the customer handed over
    change: Decimal = CENTS

    @property
    def used_after_m3(self) -> Decimal:
        return self.used_before_m3 + self.volume_m3


def price_of(volume: Decimal, used_before: Decimal, tiers: Sequence[Tier],
             cycle_start: date | None = None) -> tuple[list[TierLine], Decimal]:
    lines = split_tiers(volume, used_before, tiers, cycle_start)
    return lines, sum((line.amount for line in lines), CENTS)


def _check_volume(volume: Decimal, step: Decimal, max_volume: Decimal) -> None:
    if volume <= 0:
        raise QuoteError("volume_not_positive")
    if volume % step != 0:
        raise QuoteError("volume_step", step=step)
    if volume > max_volume:
        raise QuoteError("volume_too_large", max=max_volume)


def quote_by_volume(volume: Decimal, used_before: Decimal, tiers: Sequence[Tier], cycle_start: date | None = None,
                    step: Decimal = STEP, max_volume: Decimal = MAX_VOLUME) -> Quote:
    """The tier split and amount of buying `volume` m³ after `used_before` m³ in the cycle."""
    volume = Decimal(volume)
    _check_volume(volume, step, max_volume)
    lines, amount = price_of(volume, used_before, tiers, cycle_start)
    return Quote(volume, tuple(lines), amount, used_before, cycle_start)


def _floor(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(ROUND_FLOOR) * step


def _estimate(amount: Decimal, used_before: Decimal, tiers: Sequence[Tier]) -> Decimal | None:
    """Exact volume `amount` buys, before the per-line rounding; None when the gas would be free."""
    bought, position, lower = ZERO, used_before, ZERO
    for tier in tiers:
        upper = tier.upper
        if upper is not None and upper <= position:
            lower = upper
            continue
        start = max(position, lower)
        if tier.price <= 0:
            if upper is None:
                return None
            bought += upper - start
            position = upper
            lower = upper
            continue
        room = None if upper is None else upper - start
        if room is not None and room * tier.price <= amount:
            amount -= room * tier.price
            bought += room
            position = upper
            lower = upper
            continue
        return bought + amount / tier.price
    return bought


def quote_by_amount(amount: Decimal, used_before: Decimal, tiers: Sequence[Tier], cycle_start: date | None = None,
                    step: Decimal = STEP, max_volume: Decimal = MAX_VOLUME) -> Quote:
    """The largest volume (a multiple of `step`) whose price ≤ `amount`, with the change.

    Raises QuoteError("amount_too_small") when the amount does not buy one step, and
    ("volume_too_large") when it would buy more than one purchase may carry.
    """
    amount = Decimal(amount)
    if amount <= 0:
        raise QuoteError("amount_not_positive")
    estimate = _estimate(amount, used_before, tiers)
    if estimate is None:
        raise QuoteError("free_gas")
    volume = _floor(estimate, step)
    # The estimate ignores the rounding of each line (at most half a cent per line): settle exactly.
    while volume > 0 and price_of(volume, used_before, tiers)[1] > amount:
        volume -= step
    while price_of(volume + step, used_before, tiers)[1] <= amount:
        volume += step
    if volume <= 0:
        raise QuoteError("amount_too_small", price=price_of(step, used_before, tiers)[1], step=step)
    if volume > max_volume:
        raise QuoteError("volume_too_large", max=max_volume)
    lines, due = price_of(volume, used_before, tiers, cycle_start)
    return Quote(volume, tuple(lines), due, used_before, cycle_start, tendered=money(amount),
                 change=money(amount - due))


# --- payment ----------------------------------------------------------------------------------------

def check_payment(method: str, due: Decimal, paid: Decimal | None, reference: str | None) -> dict[str, str]:
    """{field: problem code}; empty when the payment may be taken.

    Cash: at least the amount due (the rest is change). Bank card, WeChat and Alipay: exactly the amount
    due, with the transaction reference (POS voucher or payment order number) for the reconciliation.
    """
    problems = {}
    if method not in PAY_METHODS:
        problems["payment_method"] = "unknown_method"
        return problems
    paid = due if paid is None and method != Method.cash else paid
    if paid is None:
        problems["amount_paid"] = "paid_missing"
    elif paid < due:
        problems["amount_paid"] = "paid_short"
    elif method != Method.cash and paid != due:
        problems["amount_paid"] = "electronic_exact"
    if method in ELECTRONIC and not (reference or "").strip():
        problems["payment_ref"] = "reference_missing"
    return problems


def change_due(method: str, due: Decimal, paid: Decimal | None) -> Decimal:
    if method != Method.cash or paid is None:
        return CENTS
    return money(paid - due)


# --- the day's reconciliation -------------------------------------------------------------------------

@dataclass(frozen=True)
class SaleFigure:
    method: str
    amount: Decimal   # the amount due (what the till keeps)
    status: str
    kind: str = Kind.purchase


@dataclass(frozen=True)
class MethodTotal:
    method: str
    count: int = 0
    gross: Decimal = CENTS       # every sale taken, reversed or not
    reversed_count: int = 0
    reversed: Decimal = CENTS    # handed back
    net: Decimal = CENTS         # what stays: gross − reversed


@dataclass(frozen=True)
class Reconciliation:
    methods: tuple[MethodTotal, ...]
    unfinished: int                 # sales not yet confirmed nor reversed: the day cannot close
    expected_cash: Decimal
    counted_cash: Decimal | None = None
    difference: Decimal | None = None   # counted − expected: + over, − short
    totals: MethodTotal = field(default_factory=lambda: MethodTotal("all"))

    @property
    def electronic(self) -> Decimal:
        return sum((m.net for m in self.methods if m.method != Method.cash), CENTS)


def reconcile(sales: Iterable[SaleFigure], counted_cash: Decimal | None = None) -> Reconciliation:
    """Per payment method: gross, reversed and net takings; the expected cash and the difference."""
    acc = {m: [0, CENTS, 0, CENTS] for m in PAY_METHODS}
    unfinished = 0
    for sale in sales:
        if sale.kind != Kind.purchase:
            continue
        row = acc.setdefault(sale.method, [0, CENTS, 0, CENTS])
        row[0] += 1
        row[1] += sale.amount
        if sale.status == Status.reversed:
            row[2] += 1
            row[3] += sale.amount
        elif sale.status in UNFINISHED:
            unfinished += 1
    methods = tuple(MethodTotal(str(m), c, g, rc, r, g - r) for m, (c, g, rc, r) in acc.items())
    totals = MethodTotal("all", sum(m.count for m in methods), sum((m.gross for m in methods), CENTS),
                         sum(m.reversed_count for m in methods), sum((m.reversed for m in methods), CENTS),
                         sum((m.net for m in methods), CENTS))
    expected = next(m.net for m in methods if m.method == Method.cash)
    difference = None if counted_cash is None else money(counted_cash - expected)
    return Reconciliation(methods, unfinished, expected, counted_cash, difference, totals)


# --- meter change ---------------------------------------------------------------------------------------

def supply_verdict(supply: str | None, reason: str | None) -> str | None:
    """How the customer's gas supply bears on a card sale (RULES.md §5): "refuse" when it is shut off
    for safety (no gas may flow until the hazard is put right), "warn" when it is shut off for any other
    reason (the gas waits on the card), None when the gas is on."""
    if supply != "shut_off":
        return None
    return "refuse" if reason == "safety" else "warn"


def check_carry(remaining: Decimal, delivered_to_meter: Decimal, step: Decimal = STEP) -> str | None:
    """A problem code, or None: the remaining volume read off the old meter must be a multiple of the
    step and cannot exceed what was ever put on that meter by confirmed sales and transfers."""
    if remaining < 0:
        return "carry_negative"
    if remaining % step != 0:
        return "volume_step"
    if remaining > delivered_to_meter:
        return "carry_too_large"
    return None


def plain(value: Decimal) -> str:
    """A volume without trailing zeros (30, 12.5): no float, no exponent."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- receipt ----------------------------------------------------------------------------------------------

def receipt_height_mm(tier_lines: int, extra_lines: int = 0) -> int:
    """The paper length of an 80 mm receipt: a fixed head and foot plus one row per tier line."""
    return 122 + 6 * tier_lines + 5 * extra_lines
