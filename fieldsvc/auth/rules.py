"""Pure rules about staff: password policy and qualification status."""
from datetime import date, timedelta
from enum import StrEnum

MIN_PASSWORD_LENGTH = 10


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


def password_problems(password: str, username: str = "") -> list[str]:
    """Codes of every way the password breaks the policy (empty: acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append("too_short")
    if password.isdigit() or password.isalpha():
        problems.append("letters_and_digits")
    if username and username.lower() in password.lower():
        problems.append("contains_username")
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
