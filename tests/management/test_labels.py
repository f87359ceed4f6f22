"""Label groups: one name, one owner. The registry keeps one dict of groups, so a group two domains
register is silently the later one's, and the other domain's pages show raw codes."""
import inspect
from collections import Counter

from fieldsvc import create_app, labels
from fieldsvc.management.labels import GROUPS
from tests.conftest import make_test_config


def test_no_two_domains_register_the_same_label_group(monkeypatch, tmp_path):
    registered = []  # (registering module, group)
    real = labels.register

    def recording(app, groups):
        caller = inspect.stack()[1].frame.f_globals.get("__name__", "?")
        registered.extend((caller, group) for group in groups)
        return real(app, groups)

    monkeypatch.setattr(labels, "register", recording)
    create_app(make_test_config(f"sqlite:///{tmp_path / 'labels.db'}", tmp_path))
    assert len({caller for caller, _ in registered}) > 5  # every domain was seen registering
    registered += [("fieldsvc.labels", group) for group in labels.LABELS]
    twice = {group: sorted(c for c, g in registered if g == group)
             for group, n in Counter(g for _, g in registered).items() if n > 1}
    assert twice == {}


def test_the_annual_plan_words_are_managements_own(app, en_request):
    """The inspections plan keeps `plan_status` (done/due/overdue); annual plans read theirs."""
    assert "plan_status" not in GROUPS
    assert labels.label("submitted", "annual_plan_status") == "Submitted for approval"
    assert labels.label("overdue", "plan_status") != "overdue"  # the inspections word, not a raw code
