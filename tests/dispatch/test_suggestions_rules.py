"""Whom to send (rules.suggest and its parts), table by table: distance, licences, nearness, score, order."""
from datetime import date

import pytest

from fieldsvc.dispatch import rules
from fieldsvc.dispatch.rules import Candidate, Nearness, Site

TODAY = date(2026, 11, 28)
CERT = (("service_cert_1", date(2027, 1, 1)),)
METRO = (("metrology_licence", date(2027, 1, 1)),)
PEOPLE_SQUARE = (31.230416, 121.473701)
BUND = (31.240018, 121.490317)  # about 1.9 km north-east


@pytest.mark.parametrize(("a", "b", "km"), [
    (PEOPLE_SQUARE, PEOPLE_SQUARE, 0.0),
    (PEOPLE_SQUARE, BUND, 1.91),  # flat-earth check: √(1.068² + 1.580²) km
    ((0.0, 0.0), (0.0, 1.0), 111.19),  # one degree of longitude on the equator
    ((0.0, 0.0), (1.0, 0.0), 111.19),
    ((31.0, 121.0), (32.0, 121.0), 111.19),  # a degree of latitude is the same everywhere on a sphere
    ((0.0, 0.0), (0.0, 180.0), 20015.11),  # half way round
    ((0.0, 179.5), (0.0, -179.5), 111.19),  # across the date line, not the long way round
])
def test_haversine_km(a, b, km):
    assert rules.haversine_km(a, b) == pytest.approx(km, abs=0.01)
    assert rules.haversine_km(b, a) == pytest.approx(km, abs=0.01)


@pytest.mark.parametrize(("role", "licences", "expected"), [
    ("repair_tech", CERT, (True, date(2027, 1, 1))),
    ("repair_tech", (("service_cert_3", None),), (True, None)),  # a higher level covers; no expiry
    ("repair_tech", (("service_cert_1", TODAY),), (True, TODAY)),  # valid through its last day
    ("repair_tech", (("service_cert_1", date(2026, 11, 27)),), (False, None)),  # expired yesterday
    ("repair_tech", (("driving_licence", None),), (False, None)),  # not a licence for gas work
    ("repair_tech", (), (False, None)),
    ("pipe_fitter", (("service_cert_2", date(2027, 5, 1)), ("service_cert_1", date(2026, 1, 1))),
     (True, date(2027, 5, 1))),
    ("pipe_fitter", (("service_cert_1", date(2027, 2, 1)), ("service_cert_1", None)), (True, None)),
    ("metering_tech", METRO, (True, date(2027, 1, 1))),
    ("metering_tech", CERT, (False, None)),  # a service certificate does not license meter tests
    ("metering_tech", (("metrology_licence", date(2026, 11, 1)),), (False, None)),
    ("station_chief", (), (True, None)),  # a role without field licences needs none
])
def test_licence_valid_until(role, licences, expected):
    assert rules.licence_valid_until(role, licences, TODAY) == expected


@pytest.mark.parametrize(("candidate", "site", "how", "km"), [
    (Candidate(1, "repair_tech", position=PEOPLE_SQUARE, district_id=1), Site(BUND, 2), Nearness.gps, 1.91),
    (Candidate(1, "repair_tech", position=PEOPLE_SQUARE), Site(None, 1), Nearness.unknown, None),
    (Candidate(1, "repair_tech", position=PEOPLE_SQUARE, district_id=1), Site(None, 1), Nearness.same_district, None),
    (Candidate(1, "repair_tech", district_id=1), Site(BUND, 2), Nearness.other_district, None),
    (Candidate(1, "repair_tech"), Site(BUND, 2), Nearness.unknown, None),
    (Candidate(1, "repair_tech", district_id=1), Site(None, None), Nearness.unknown, None),
])
def test_nearness(candidate, site, how, km):
    found, distance = rules.nearness(candidate, site)
    assert found == how
    assert distance == (None if km is None else pytest.approx(km, abs=0.01))


@pytest.mark.parametrize(("order_type", "open_jobs", "km", "on_duty", "score"), [
    ("repair", 0, 0.0, False, 100.0),
    ("repair", 0, 0.0, True, 115.0),
    ("repair", 2, 0.0, False, 76.0),
    ("repair", 6, 0.0, False, 28.0),
    ("repair", 9, 0.0, False, 28.0),  # a full list counts as six
    ("repair", -1, 0.0, False, 100.0),  # never a bonus for a bad count
    ("repair", 0, 1.2, False, 97.6),
    ("repair", 0, 25.0, False, 50.0),
    ("repair", 0, 80.0, False, 50.0),  # across town is across town
    ("emergency", 0, 1.2, False, 95.2),  # near counts double for a leak
    ("emergency", 1, 3.0, True, 91.0),
    ("meter_verification", 1, 10.0, True, 83.0),
])
def test_score_weights(order_type, open_jobs, km, on_duty, score):
    assert rules.score(order_type, open_jobs, km, on_duty) == score


def test_one_more_job_weighs_like_six_km_and_on_duty_like_seven_and_a_half():
    assert rules.score("repair", 1, 0, False) == rules.score("repair", 0, 6, False)
    assert rules.score("repair", 0, 7.5, True) == rules.score("repair", 0, 0, False)
    assert rules.score("emergency", 1, 0, False) == rules.score("emergency", 0, 3, False)


STAFF = [
    Candidate(1, "repair_tech", open_jobs=2, on_duty=True, position=PEOPLE_SQUARE, licences=CERT),
    Candidate(2, "repair_tech", open_jobs=0, on_duty=True, position=BUND, licences=CERT),
    Candidate(3, "repair_tech", open_jobs=0, licences=(("service_cert_1", date(2026, 1, 1)),)),  # expired
    Candidate(4, "pipe_fitter", open_jobs=0, district_id=1, licences=CERT),
    Candidate(5, "pipe_fitter", open_jobs=1, district_id=2, licences=CERT),
    Candidate(6, "metering_tech", open_jobs=0, licences=METRO),
    Candidate(7, "metering_tech", open_jobs=0, licences=CERT),  # no metrology licence
    Candidate(8, "meter_reader", open_jobs=0, licences=CERT),  # readers are not sent on jobs
]


@pytest.mark.parametrize(("order_type", "site", "expected"), [
    # At People's Square: 2 is 1.9 km away with no jobs, 1 is there with two.
    ("repair", Site(PEOPLE_SQUARE, 1), [2, 1]),
    ("emergency", Site(PEOPLE_SQUARE, 1), [2, 1]),
    ("repair", Site(BUND, 1), [2, 1]),
    # Both trades may. No fix at the door: 2 (out, free, place unknown 103) > 4 (in the district, 94) >
    # 1 (out, two jobs, 79) > 5 (a job, in another district, 68).
    ("meter_replacement", Site(None, 1), [2, 4, 1, 5]),
    ("rectification", Site(None, 2), [5, 4]),  # 5 in the district (−12 for a job, −6) vs 4 outside (−20)
    ("rectification", Site(None, 1), [4, 5]),
    ("meter_box", Site(None, None), [4, 5]),  # nothing known of places: fewer jobs first
    ("meter_verification", Site(None, 1), [6]),
    ("followup_visit", Site(None, 1), []),  # a telephone call from the office: nobody is sent
    ("suspension", Site(None, 1), [2, 1]),
])
def test_suggest_filters_by_role_and_licence_and_ranks(order_type, site, expected):
    ranked = rules.suggest(order_type, site, STAFF, TODAY)
    assert [s.user_id for s in ranked] == expected
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


def test_suggestion_carries_its_facts():
    best = rules.suggest("repair", Site(PEOPLE_SQUARE, 1), STAFF, TODAY)[0]
    assert (best.user_id, best.open_jobs, best.on_duty, best.nearness, best.km, best.licence_until) == \
        (2, 0, True, Nearness.gps, 1.9, date(2027, 1, 1))
    assert best.score == pytest.approx(100 - 2 * 1.907 + 15, abs=0.05)


@pytest.mark.parametrize(("a", "b", "first"), [
    (Candidate(10, "repair_tech", open_jobs=1, licences=CERT), Candidate(9, "repair_tech", open_jobs=1,
                                                                         licences=CERT), 9),  # a tie: lower id
    (Candidate(9, "repair_tech", open_jobs=0, on_duty=False, position=BUND, licences=CERT),
     Candidate(10, "repair_tech", open_jobs=0, on_duty=False, position=PEOPLE_SQUARE, licences=CERT), 10),
    (Candidate(9, "repair_tech", open_jobs=1, licences=CERT),
     Candidate(10, "repair_tech", open_jobs=0, licences=CERT), 10),
    (Candidate(9, "repair_tech", on_duty=False, licences=CERT),
     Candidate(10, "repair_tech", on_duty=True, licences=CERT), 10),
])
def test_ties_and_single_factors(a, b, first):
    ranked = rules.suggest("repair", Site(PEOPLE_SQUARE, 1), [a, b], TODAY)
    assert ranked[0].user_id == first
