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
    ("1234567890", "", ["letters_and_digits", "common"]),  # digits only, and on the list
    ("12345", "", ["too_short", "letters_and_digits", "common"]),
    ("Gas-2026-safe", "", []),
    ("wang2026lei", "wang", ["contains_username"]),
    ("WANG2026lei", "wang", ["contains_username"]),       # case-insensitive
    ("wang2026lei", "", []),                               # no username: nothing to compare
    ("li2026abcdef", "wang", []),
    ("wang1", "wang", ["too_short", "contains_username"]),
    ("燃气安全第一2026", "", []),                            # CJK letters count as letters
    # The outside probe's passwords (issue 23): all accepted before.
    (" " * 10, "", ["blank"]),                             # ten spaces
    ("." * 10, "", ["letters_and_digits", "repetitive"]),  # ten dots
    ("\u200b" * 10, "", ["blank"]),                        # ten zero-width spaces
    ("password12", "", ["common"]),
    ("PassWord12", "", ["common"]),                        # the list is compared without case
    ("qwerty1234", "", ["common"]),
    ("12345678", "", ["too_short", "letters_and_digits", "common"]),
    ("qwerty123", "", ["too_short", "common"]),
    # Invisible characters inside an otherwise good password.
    ("gas\u200b2026safe", "", ["invisible"]),              # zero-width space
    ("gas\u200d2026safe", "", ["invisible"]),              # zero-width joiner
    ("gas\ufeff2026safe", "", ["invisible"]),              # byte-order mark
    ("gas\u202e2026safe", "", ["invisible"]),              # right-to-left override
    ("gas\t2026safe", "", ["invisible"]),                  # tab
    ("gas\u00a02026safe", "", ["invisible"]),              # no-break space
    ("gas\u30002026safe", "", ["invisible"]),              # ideographic (full-width) space
    ("gas\u31642026safe", "", ["invisible"]),              # Hangul filler: a letter that shows nothing
    ("gas 2026 safe", "", []),                             # plain spaces inside are fine (a passphrase)
    (" gas2026safe", "", ["edge_spaces"]),                 # forms trim: it would not match at the next login
    ("gas2026safe ", "", ["edge_spaces"]),
    ("  \u200b\u3000  ", "", ["blank"]),
    # Few different characters.
    ("aaaaaaaaa1", "", ["repetitive"]),
    ("1212121212ab", "", ["repetitive"]),                  # 4 different
    ("1212121212abc", "", []),                             # 5 different
])
def test_password_problems(password, username, problems):
    assert rules.password_problems(password, username) == problems


def test_common_password_list_is_shipped_and_sane():
    common = rules.common_passwords()
    assert 300 <= len(common) <= 2000
    assert {"password12", "12345678", "qwerty123", "woaini1314", "1qaz2wsx3edc"} <= common
    assert all(p == p.strip().lower() and p for p in common)
    from fieldsvc.core.demo import DEMO_PASSWORD
    assert rules.password_problems(DEMO_PASSWORD) == []    # the demo staff can still be made


def test_a_given_list_replaces_the_shipped_one():
    assert rules.password_problems("gas2026safe", common=frozenset({"gas2026safe"})) == ["common"]
    assert rules.password_problems("password12", common=frozenset()) == []


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
