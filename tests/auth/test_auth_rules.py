"""Pure staff rules: the password policy and qualification status, at every boundary."""
from datetime import date, timedelta

import pytest

from fieldsvc.auth import rules

TODAY = date(2026, 3, 15)


@pytest.mark.parametrize(("password", "username", "problems"), [
    ("abcdefghi1", "", []),                                # exactly the minimum length
    ("abcdefgh1", "", ["too_short"]),                      # one short
    ("", "", ["too_short"]),
    ("abc", "", ["too_short", "letters_and_digits"]),
    ("abcdefghij", "", ["letters_and_digits"]),            # letters only
    ("1234567890", "", ["letters_and_digits"]),            # digits only
    ("12345", "", ["too_short", "letters_and_digits"]),
    ("Gas-2026-safe", "", []),
    ("wang2026lei", "wang", ["contains_username"]),
    ("WANG2026lei", "wang", ["contains_username"]),       # case-insensitive
    ("wang2026lei", "", []),                               # no username: nothing to compare
    ("li2026abcdef", "wang", []),
    ("wang1", "wang", ["too_short", "contains_username"]),
    ("燃气安全第一2026", "", []),                            # CJK letters count as letters
])
def test_password_problems(password, username, problems):
    assert rules.password_problems(password, username) == problems


@pytest.mark.parametrize(("expires_on", "warn_days", "status"), [
    (None, 60, "valid"),                                   # no expiry date: never expires
    (TODAY - timedelta(days=400), 60, "expired"),
    (TODAY - timedelta(days=1), 60, "expired"),            # expired the day after expires_on
    (TODAY, 60, "expiring"),                               # still valid on its last day
    (TODAY + timedelta(days=1), 60, "expiring"),
    (TODAY + timedelta(days=60), 60, "expiring"),          # last day of the warning window
    (TODAY + timedelta(days=61), 60, "valid"),
    (TODAY, 0, "expiring"),
    (TODAY + timedelta(days=1), 0, "valid"),
    (TODAY - timedelta(days=1), 0, "expired"),
    (TODAY + timedelta(days=30), 30, "expiring"),
    (TODAY + timedelta(days=31), 30, "valid"),
])
def test_qualification_status(expires_on, warn_days, status):
    assert rules.qualification_status(expires_on, TODAY, warn_days) == status


@pytest.mark.parametrize(("role", "kind"), [
    ("metering_tech", "metrology_licence"),
    ("metering_head", "metrology_licence"),
    ("repair_tech", None),
    ("director", None),
])
def test_licence_for_role(role, kind):
    assert rules.LICENCE_FOR_ROLE.get(role) == kind
