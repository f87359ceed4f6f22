"""Pure rules of the metering office (RULES.md §7, JJG 577-2012). No database, no Flask.

This module is the single implementation of the error, zone, MPE and verdict: the test-entry page
(through the figures it carries for its script), the API, the PDF and the reports all call it.
"""
import calendar
import heapq
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from fieldsvc.customers.rules import METER_SIZES, meter_life_ends

REGULATION = "JJG 577-2012"
CENT = Decimal("0.01")


class Verification(StrEnum):
    initial = "initial"
    subsequent = "subsequent"
    in_service = "in_service"


class Zone(StrEnum):
    low = "low"    # qmin ≤ q < qt
    high = "high"  # qt ≤ q ≤ qmax


class DocumentKind(StrEnum):
    certificate = "certificate"  # 检定证书
    notice = "notice"            # 检定结果通知书


class DocumentStatus(StrEnum):
    valid = "valid"
    expired = "expired"
    superseded = "superseded"


# Transitional flow as a fraction of qmax, per accuracy class.
QT_FACTOR = {"1.5": Decimal("0.1"), "1.0": Decimal("0.2")}
# MPE (± %) of initial and subsequent verification, per class and zone; in-service checks allow twice.
MPE = {("1.5", Zone.low): Decimal("3"), ("1.5", Zone.high): Decimal("1.5"),
       ("1.0", Zone.low): Decimal("2"), ("1.0", Zone.high): Decimal("1")}
IN_SERVICE_FACTOR = 2
# Pressure loss at qmax: 200 Pa up to G6 (qmax ≤ 10 m³/h), 300 Pa above.
PRESSURE_LOSS_SMALL_PA = Decimal("200")
PRESSURE_LOSS_LARGE_PA = Decimal("300")
PRESSURE_LOSS_SMALL_QMAX = Decimal("10")
# Default test points: qmin, 0.2 qmax, qmax.
DEFAULT_POINT_FACTORS = ("qmin", Decimal("0.2"), Decimal("1"))
NUMBER_PREFIX = {DocumentKind.certificate: "JD", DocumentKind.notice: "TZ"}
LEAK_TEST = "leak_test"
PRESSURE_LOSS = "pressure_loss"


def qmax(size: str) -> Decimal:
    return METER_SIZES[size].qmax


def qmin(size: str) -> Decimal:
    return METER_SIZES[size].qmin


def transitional_flow(size: str, accuracy_class: str) -> Decimal:
    """qt = 0.1 qmax (class 1.5) or 0.2 qmax (class 1.0)."""
    return QT_FACTOR[accuracy_class] * qmax(size)


def flow_in_range(flow: Decimal, size: str) -> bool:
    return qmin(size) <= flow <= qmax(size)


def zone(flow: Decimal, size: str, accuracy_class: str) -> Zone:
    """Low zone qmin ≤ q < qt, high zone qt ≤ q ≤ qmax. A flow outside [qmin, qmax] is not a test point."""
    if not flow_in_range(flow, size):
        raise ValueError(f"flow {flow} m³/h is outside {qmin(size)}–{qmax(size)} m³/h of a {size} meter")
    return Zone.low if flow < transitional_flow(size, accuracy_class) else Zone.high


def mpe(zone_: str, accuracy_class: str, verification: str) -> Decimal:
    """Maximum permissible error (± %) for the zone, class and kind of verification."""
    base = MPE[(accuracy_class, Zone(zone_))]
    return base * IN_SERVICE_FACTOR if Verification(verification) == Verification.in_service else base


def round_half_up(value: Decimal, exp: Decimal = CENT) -> Decimal:
    return value.quantize(exp, rounding=ROUND_HALF_UP)


def error_pct(reference_l: Decimal, indicated_l: Decimal) -> Decimal:
    """E = (V_ind − V_ref) / V_ref × 100, rounded half-up (away from zero on a tie) to 2 decimals."""
    if reference_l <= 0:
        raise ValueError("the reference volume must be positive")
    return round_half_up((Decimal(indicated_l) - Decimal(reference_l)) / Decimal(reference_l) * 100)


@dataclass(frozen=True)
class PointResult:
    flow_m3h: Decimal
    reference_l: Decimal
    indicated_l: Decimal
    zone: Zone
    error_pct: Decimal
    mpe_pct: Decimal
    ok: bool


def point_result(flow_m3h: Decimal, reference_l: Decimal, indicated_l: Decimal, size: str,
                 accuracy_class: str, verification: str) -> PointResult:
    """One flow point: its zone, rounded error, MPE and whether |E| ≤ MPE (at the MPE passes)."""
    z = zone(flow_m3h, size, accuracy_class)
    e = error_pct(reference_l, indicated_l)
    limit = mpe(z, accuracy_class, verification)
    return PointResult(flow_m3h, reference_l, indicated_l, z, e, limit, abs(e) <= limit)


def pressure_loss_limit(size: str) -> Decimal:
    return PRESSURE_LOSS_SMALL_PA if qmax(size) <= PRESSURE_LOSS_SMALL_QMAX else PRESSURE_LOSS_LARGE_PA


@dataclass(frozen=True)
class Verdict:
    ok: bool
    failures: list[str] = field(default_factory=list)  # point_<n> (1-based), leak_test, pressure_loss


def verdict(points: list[PointResult], leak_test_ok: bool, pressure_loss_pa: Decimal, size: str) -> Verdict:
    """Pass only when every point passes, the leak test passes and the pressure loss is within limit."""
    if not points:
        raise ValueError("a test needs at least one flow point")
    failures = [f"point_{n}" for n, p in enumerate(points, start=1) if not p.ok]
    if not leak_test_ok:
        failures.append(LEAK_TEST)
    if Decimal(pressure_loss_pa) > pressure_loss_limit(size):
        failures.append(PRESSURE_LOSS)
    return Verdict(not failures, failures)


def plain(value: Decimal) -> Decimal:
    """Without trailing zeros and without an exponent: 10.0 → 10 (not 1E+1), 0.80 → 0.8."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def default_verification(installed: bool, verified_before: bool) -> Verification:
    """The kind of test a meter on the bench most likely gets: in service when it is installed at a
    customer's; initial for a meter never verified; else subsequent."""
    if installed:
        return Verification.in_service
    return Verification.subsequent if verified_before else Verification.initial


def default_flows(size: str) -> list[Decimal]:
    """qmin, 0.2 qmax, qmax of the size, as the form prefills them."""
    return [qmin(size) if f == "qmin" else plain(f * qmax(size)) for f in DEFAULT_POINT_FACTORS]


def mean_error(errors: list[Decimal]) -> Decimal:
    """Mean of the point errors, rounded half-up to 2 decimals (the E of the back-billing estimate)."""
    if not errors:
        raise ValueError("no errors to average")
    return round_half_up(sum(errors, Decimal(0)) / len(errors))


def page_figures(size: str, accuracy_class: str) -> dict:
    """What the test-entry page carries so its script shows the same zone, MPE and limit as the server."""
    return {
        "qmin": str(qmin(size)), "qmax": str(qmax(size)),
        "qt": str(plain(transitional_flow(size, accuracy_class))),
        "mpe": {v.value: {z.value: str(mpe(z, accuracy_class, v)) for z in Zone} for v in Verification},
        "pressure_loss_limit": str(pressure_loss_limit(size)),
    }


# --- documents ------------------------------------------------------------------------------------

def document_kind(ok: bool) -> DocumentKind:
    return DocumentKind.certificate if ok else DocumentKind.notice


def document_number(kind: str, year: int, seq: int) -> str:
    """JD-YYYY-NNNNNN (certificate) or TZ-YYYY-NNNNNN (notice)."""
    if not 1 <= seq <= 999_999:
        raise ValueError("the yearly sequence runs from 1 to 999999")
    return f"{NUMBER_PREFIX[DocumentKind(kind)]}-{year:04d}-{seq:06d}"


def certificate_valid_until(size: str, gas: str | None, verified_on: date) -> date:
    """Verification date + service life (household: 10 y NG, 6 y LPG/MG; above G6: 3 y) − 1 day.

    A meter in stock (no customer) counts as NG.
    """
    return meter_life_ends(size, gas or "NG", verified_on)


def document_status(valid_until: date | None, superseded: bool, today: date) -> DocumentStatus:
    """Superseded wins; a certificate past its validity is expired; a notice has no validity."""
    if superseded:
        return DocumentStatus.superseded
    if valid_until is not None and valid_until < today:
        return DocumentStatus.expired
    return DocumentStatus.valid


# --- equipment ------------------------------------------------------------------------------------

class EquipmentStatus(StrEnum):
    valid = "valid"
    expiring = "expiring"
    expired = "expired"


def equipment_status(expires_on: date, today: date, warn_days: int) -> EquipmentStatus:
    """Usable through its expiry date; expiring within warn_days of it."""
    if expires_on < today:
        return EquipmentStatus.expired
    if expires_on <= today + timedelta(days=warn_days):
        return EquipmentStatus.expiring
    return EquipmentStatus.valid


class EquipmentKind(StrEnum):
    flow_standard = "flow_standard"  # 流量标准装置: bell prover, sonic nozzle, master meter
    leak_bench = "leak_bench"        # 密封性/耐压检测台
    climate = "climate"              # 温湿度计


class Approval(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class Refusal(StrEnum):
    """Why a piece of equipment cannot be cited for a test (the first reason that applies)."""

    wrong_kind = "wrong_kind"
    pending = "pending"
    rejected = "rejected"
    retired = "retired"
    expired = "expired"


def equipment_refusal(required_kind: str, kind: str, approval: str, active: bool, expires_on: date,
                      on: date) -> Refusal | None:
    """A test cites a flow standard for its flow points and a leak bench for its leak test: each must be of
    that kind, approved by the metering head, in use and in calibration on the test date. None: usable."""
    if kind != required_kind:
        return Refusal.wrong_kind
    if approval == Approval.pending:
        return Refusal.pending
    if approval != Approval.approved:
        return Refusal.rejected
    if not active:
        return Refusal.retired
    if expires_on < on:
        return Refusal.expired
    return None


def calibration_dates_problem(calibrated_on: date | None, due_on: date, today: date) -> str | None:
    """A certificate is dated on or before today and its due date comes after it. Returns the field at fault."""
    if calibrated_on is not None and calibrated_on > today:
        return "calibrated_on"
    if calibrated_on is not None and due_on <= calibrated_on:
        return "calibration_expires_on"
    return None


# --- complaint verification -----------------------------------------------------------------------

def back_billing_volume(billed_m3: Decimal, mean_error_pct: Decimal) -> Decimal:
    """ΔV = V_billed × E / (100 + E), to 0.01 m³. Positive: the meter over-registered and ΔV is refunded."""
    e = Decimal(mean_error_pct)
    if e <= -100:
        raise ValueError("an error of −100 % or less is not a measurement")
    return round_half_up(Decimal(billed_m3) * e / (100 + e))


def back_billing_amount(delta_m3: Decimal, billed_m3: Decimal, billed_amount: Decimal) -> Decimal | None:
    """ΔV priced at the mean price actually billed over the same period (tiers included), to 0.01 yuan."""
    if billed_m3 <= 0:
        return None
    return round_half_up(Decimal(delta_m3) * Decimal(billed_amount) / Decimal(billed_m3))


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the 31st becomes the month's last day): the start of the period."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def lab_due(removed_on: date, target_days: int) -> date:
    """The removed meter must reach the metering office within target_days of its removal."""
    return removed_on + timedelta(days=target_days)


# --- weekly in-home checks ------------------------------------------------------------------------

def week_start(day: date) -> date:
    """Monday of the ISO week of `day`."""
    return day - timedelta(days=day.weekday())


def age_weight(since: date | None, today: date) -> float:
    """Sampling weight: 1 + age in years, so a 10-year-old meter is drawn ~11× as often as a new one.

    A meter with no known verification or installation date is weighted as 10 years old: unknown
    age is itself a reason to look.
    """
    if since is None:
        return 11.0
    return 1.0 + max((today - since).days, 0) / 365.25


def weighted_sample(candidates: list[tuple[int, float]], k: int, rnd: random.Random) -> list[int]:
    """k distinct ids drawn with probability proportional to weight (Efraimidis–Spirakis A-Res)."""
    if k <= 0:
        return []
    keyed = ((math.log(1.0 - rnd.random()) / w, cid) for cid, w in candidates if w > 0)
    return [cid for _, cid in heapq.nlargest(k, keyed)]

