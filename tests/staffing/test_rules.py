"""Role requirement gaps (staffing.rules): table-driven."""
from datetime import date

import pytest

from fieldsvc.staffing import rules
from fieldsvc.staffing.rules import GapKind, Requirement

TODAY = date(2026, 12, 7)
CHIEF = Requirement("college", 4, ("service_cert_3",))
FITTER = Requirement("senior_high", 0, ("service_cert_1",))
VALID = date(2028, 1, 1)
EXPIRED = date(2026, 12, 6)


@pytest.mark.parametrize("req, education, since, certs, expected", [
    (CHIEF, "college", date(2020, 1, 1), [("service_cert_3", VALID)], []),
    (CHIEF, "postgraduate", date(2022, 12, 7), [("service_cert_3", None)], []),  # 4 years on the day
    (CHIEF, "senior_high", date(2020, 1, 1), [("service_cert_3", VALID)], [GapKind.education_below]),
    (CHIEF, None, date(2020, 1, 1), [("service_cert_3", VALID)], [GapKind.education_unknown]),
    (CHIEF, "nonsense", date(2020, 1, 1), [("service_cert_3", VALID)], [GapKind.education_unknown]),
    (CHIEF, "college", date(2022, 12, 8), [("service_cert_3", VALID)], [GapKind.experience_short]),  # a day short
    (CHIEF, "college", None, [("service_cert_3", VALID)], [GapKind.experience_unknown]),
    (CHIEF, "college", date(2020, 1, 1), [], [GapKind.certificate_missing]),
    (CHIEF, "college", date(2020, 1, 1), [("service_cert_2", VALID)], [GapKind.certificate_missing]),  # lower
    (CHIEF, "college", date(2020, 1, 1), [("service_cert_3", EXPIRED)], [GapKind.certificate_expired]),
    (CHIEF, "college", date(2020, 1, 1), [("service_cert_3", TODAY)], []),  # valid through its expiry day
    (CHIEF, "college", date(2020, 1, 1), [("service_cert_3", EXPIRED), ("service_cert_3", VALID)], []),  # renewed
    (FITTER, "senior_high", None, [("service_cert_3", VALID)], []),  # a higher level covers; no years asked
    (FITTER, "junior_high", None, [("service_cert_1", EXPIRED), ("metrology_licence", VALID)],
     [GapKind.education_below, GapKind.certificate_expired]),
    (None, None, None, [], []),  # a role without requirements
])
def test_gaps(req, education, since, certs, expected):
    assert [g.kind for g in rules.gaps(req, education, since, certs, TODAY)] == expected


def test_gap_carries_what_is_required_and_what_is_there():
    gap, = rules.gaps(CHIEF, "college", date(2024, 6, 1), [("service_cert_3", VALID)], TODAY)
    assert (gap.required, gap.actual) == (4, 2)
    gap, = rules.gaps(CHIEF, "college", date(2020, 1, 1), [("service_cert_3", EXPIRED)], TODAY)
    assert (gap.required, gap.actual) == ("service_cert_3", "2026-12-06")


@pytest.mark.parametrize("since, years", [
    (date(2020, 12, 7), 6), (date(2020, 12, 8), 5), (date(2026, 12, 7), 0), (date(2027, 1, 1), 0),
    (date(2024, 2, 29), 2)])
def test_full_years(since, years):
    assert rules.full_years(since, TODAY) == years


def test_defaults_follow_the_charter():
    t = rules.DEFAULT_REQUIREMENTS
    assert t["director"].years == 6 and set(t["director"].certificates) == {"service_cert_3", "internal_auditor"}
    assert t["safety_officer"].certificates == ("internal_auditor",) and t["safety_officer"].years == 4
    assert t["station_chief"] == Requirement("college", 4, ("service_cert_3",))
    assert t["metering_head"].years == 6 and t["metering_tech"].certificates == ("metrology_licence",)
    assert t["meter_reader"].certificates == ("service_cert_2",)
    assert set(t) == {"director", "safety_officer", "station_chief", "repair_tech", "pipe_fitter", "meter_reader",
                      "card_clerk", "statistician", "metering_head", "metering_tech"}


@pytest.mark.parametrize("override, ok", [
    (None, True), ({}, True), ({"station_chief": {"years": 5}}, True),
    ({"station_chief": {"education": "bachelor", "certificates": ["service_cert_2"]}}, True),
    ({"nobody": {"years": 1}}, False), ({"station_chief": {"education": "phd"}}, False),
    ({"station_chief": {"years": -1}}, False), ({"station_chief": {"years": "4"}}, False),
    ({"station_chief": {"years": True}}, False), ({"station_chief": {"certificates": ["pilot"]}}, False),
    ({"station_chief": 5}, False)])
def test_requirement_table_override(override, ok):
    kinds = ["service_cert_1", "service_cert_2", "service_cert_3", "internal_auditor", "metrology_licence"]
    if ok:
        table = rules.requirement_table(override, kinds)
        assert table["station_chief"].years == (override or {}).get("station_chief", {}).get("years", 4)
    else:
        with pytest.raises(ValueError):
            rules.requirement_table(override, kinds)
