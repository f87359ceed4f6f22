"""Role requirements (RULES.md §1, the department's job charter): the education, years of experience and
certificates each role asks for, and the gaps of one person against their role. Pure: no db, no Flask.

The table is configuration: `ROLE_REQUIREMENTS` in the app config overrides any role's entry
(`{"station_chief": {"education": "bachelor", "years": 5, "certificates": ["service_cert_3"]}}`).
Where the charter is silent (education everywhere, years for field roles) the defaults are this
department's choice, written down in docs/STAFF_REQUIREMENTS.md.
"""
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Education(StrEnum):
    """Levels of schooling, lowest first (the order is what 'below' means)."""
    junior_high = "junior_high"    # 初中
    senior_high = "senior_high"    # 高中 / 中专 / 技校
    college = "college"            # 大专
    bachelor = "bachelor"          # 本科
    postgraduate = "postgraduate"  # 研究生


EDUCATION_ORDER = tuple(Education)


class GapKind(StrEnum):
    education_unknown = "education_unknown"    # not on file
    education_below = "education_below"
    experience_unknown = "experience_unknown"  # no start date on file, and the role asks for years
    experience_short = "experience_short"
    certificate_missing = "certificate_missing"
    certificate_expired = "certificate_expired"


# A higher service certificate covers a lower one (职业技能等级: 3 above 2 above 1).
COVERED_BY: dict[str, frozenset[str]] = {
    "service_cert_1": frozenset({"service_cert_1", "service_cert_2", "service_cert_3"}),
    "service_cert_2": frozenset({"service_cert_2", "service_cert_3"}),
    "service_cert_3": frozenset({"service_cert_3"}),
}


@dataclass(frozen=True)
class Requirement:
    education: str
    years: int = 0
    certificates: tuple[str, ...] = field(default_factory=tuple)


# The charter's "qualification on file" column, with this department's education and years where it is silent.
DEFAULT_REQUIREMENTS: dict[str, Requirement] = {
    "director": Requirement("bachelor", 6, ("service_cert_3", "internal_auditor")),
    "safety_officer": Requirement("college", 4, ("internal_auditor",)),
    "station_chief": Requirement("college", 4, ("service_cert_3",)),
    "repair_tech": Requirement("senior_high", 2, ("service_cert_1",)),
    "pipe_fitter": Requirement("senior_high", 1, ("service_cert_1",)),
    "meter_reader": Requirement("senior_high", 0, ("service_cert_2",)),
    "card_clerk": Requirement("senior_high", 0, ("service_cert_2",)),
    "statistician": Requirement("college", 1, ("service_cert_1",)),
    "metering_head": Requirement("college", 6, ("metrology_licence",)),
    "metering_tech": Requirement("senior_high", 2, ("metrology_licence",)),
}


def requirement_table(override: dict | None = None, certificate_kinds=None) -> dict[str, Requirement]:
    """The defaults with a configuration's entries laid over them (per role, per key). A wrong entry raises
    ValueError, so a bad configuration fails at start-up rather than on a page."""
    table = dict(DEFAULT_REQUIREMENTS)
    for role, entry in (override or {}).items():
        if role not in table or not isinstance(entry, dict):
            raise ValueError(f"ROLE_REQUIREMENTS: unknown role or not a mapping: {role!r}")
        base = table[role]
        education = entry.get("education", base.education)
        years = entry.get("years", base.years)
        certificates = tuple(entry.get("certificates", base.certificates))
        if education not in EDUCATION_ORDER:
            raise ValueError(f"ROLE_REQUIREMENTS[{role!r}]: unknown education {education!r}")
        if not isinstance(years, int) or isinstance(years, bool) or not 0 <= years <= 50:
            raise ValueError(f"ROLE_REQUIREMENTS[{role!r}]: years must be a whole number 0–50")
        if certificate_kinds is not None and not set(certificates) <= set(certificate_kinds):
            raise ValueError(f"ROLE_REQUIREMENTS[{role!r}]: unknown certificate in {certificates!r}")
        table[role] = Requirement(education, years, certificates)
    return table


def full_years(since: date, today: date) -> int:
    """Whole years from `since` to `today` (an anniversary completes a year); 0 when since is later."""
    if since > today:
        return 0
    years = today.year - since.year
    if (today.month, today.day) < (since.month, since.day):
        years -= 1
    return years


@dataclass(frozen=True)
class Gap:
    kind: GapKind
    required: str | int | None = None  # the level, the years, the certificate kind
    actual: str | int | None = None


def gaps(requirement: Requirement | None, education: str | None, experience_since: date | None,
         certificates: list[tuple[str, date | None]], today: date) -> list[Gap]:
    """Where a person falls short of their role's requirement. `certificates`: (kind, expires_on) on file;
    a certificate is valid through its expiry date. A higher service certificate covers a lower one."""
    if requirement is None:
        return []
    out = []
    if education is None or education not in EDUCATION_ORDER:
        out.append(Gap(GapKind.education_unknown, requirement.education))
    elif EDUCATION_ORDER.index(education) < EDUCATION_ORDER.index(requirement.education):
        out.append(Gap(GapKind.education_below, requirement.education, education))
    if requirement.years > 0:
        if experience_since is None:
            out.append(Gap(GapKind.experience_unknown, requirement.years))
        elif (years := full_years(experience_since, today)) < requirement.years:
            out.append(Gap(GapKind.experience_short, requirement.years, years))
    for kind in requirement.certificates:
        covering = COVERED_BY.get(kind, frozenset({kind}))
        held = [expires for k, expires in certificates if k in covering]
        if not held:
            out.append(Gap(GapKind.certificate_missing, kind))
        elif all(expires is not None and expires < today for expires in held):
            out.append(Gap(GapKind.certificate_expired, kind, max(held).isoformat()))
    return out
