"""Pure rules about staff: password policy and qualification status."""
import unicodedata
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path

MIN_PASSWORD_LENGTH = 10
MIN_DISTINCT_CHARACTERS = 5  # "..........", "aaaaaaaaa1" and "1212121212" are long but not strong
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
# Characters a person cannot see or type again reliably: controls, zero-width and bidi marks (Cf), line and
# paragraph separators, every space but the plain one (no-break, ideographic…), blank-looking letters.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


class QualificationKind(StrEnum):
    service_cert_1 = "service_cert_1"
    service_cert_2 = "service_cert_2"
    service_cert_3 = "service_cert_3"
    metrology_licence = "metrology_licence"
    internal_auditor = "internal_auditor"
    driving_licence = "driving_licence"
    other = "other"


# Which qualification licenses which role's core work (RULES §1). An expired one blocks that work.
LICENCE_FOR_ROLE = {
    "metering_tech": QualificationKind.metrology_licence,
    "metering_head": QualificationKind.metrology_licence,
}


@cache
def common_passwords() -> frozenset[str]:
    """The list shipped with the app (common_passwords.txt), lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def invisible_character(ch: str) -> bool:
    """Anything but the plain space that shows nothing (see _INVISIBLE_CATEGORIES)."""
    if ch == " ":
        return False
    return ch.isspace() or unicodedata.category(ch) in _INVISIBLE_CATEGORIES or ch in _BLANK_LOOKING


def password_problems(password: str, username: str = "", common: frozenset[str] | None = None) -> list[str]:
    """Codes of every way the password breaks the policy (empty: acceptable). `common`: the list of common
    passwords (default: the one shipped with the app)."""
    if password and all(ch == " " or invisible_character(ch) for ch in password):
        return ["blank"]  # only spaces or invisible characters: nothing else to say about it
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append("too_short")
    if password and (password.isdigit() or password.isalpha() or not any(ch.isalnum() for ch in password)):
        problems.append("letters_and_digits")
    if username and username.lower() in password.lower():
        problems.append("contains_username")
    if any(invisible_character(ch) for ch in password):
        problems.append("invisible")
    if password != password.strip(" "):  # forms trim what they send: such a password would not match later
        problems.append("edge_spaces")
    if len(password) >= MIN_PASSWORD_LENGTH and len(set(password.lower())) < MIN_DISTINCT_CHARACTERS:
        problems.append("repetitive")
    if password.lower() in (common_passwords() if common is None else common):
        problems.append("common")
    return problems


class QualificationStatus(StrEnum):
    valid = "valid"
    expiring = "expiring"
    expired = "expired"


def qualification_status(expires_on: date | None, today: date, warn_days: int) -> QualificationStatus:
    """Expired the day after expires_on; expiring within warn_days; no expiry date means valid."""
    if expires_on is None:
        return QualificationStatus.valid
    if expires_on < today:
        return QualificationStatus.expired
    if expires_on <= today + timedelta(days=warn_days):
        return QualificationStatus.expiring
    return QualificationStatus.valid
