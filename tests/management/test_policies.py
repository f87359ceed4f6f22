"""Policies: the director's approval before anything comes into force, acknowledgements per version,
who sees what, the PDF attachment, compliance checks feeding HSE."""
from datetime import timedelta

import pytest

from fieldsvc import audit, clock
from fieldsvc.auth.models import User
from fieldsvc.errors import Conflict, Invalid, NotAllowed, NotFound
from fieldsvc.hse.models import Nonconformity
from fieldsvc.management.services import acks, checks, policies
from tests.management.conftest import PDF, bring_into_force


def test_a_policy_cannot_come_into_force_without_the_directors_approval(staff, make_policy, db):
    policy = make_policy(in_force=False)
    version = policy.versions[0]
    owner = staff["safety_officer"]
    # Straight from draft: not in the state table.
    with pytest.raises(Conflict):
        policies.transition(owner, version, "in_force")
    policies.transition(owner, version, "submitted")
    # Submitted, not approved: still not.
    with pytest.raises(Conflict):
        policies.transition(owner, version, "in_force")
    # The owner cannot approve their own policy; only the director can.
    with pytest.raises(NotAllowed):
        policies.transition(owner, version, "approved")
    with pytest.raises(NotAllowed):
        policies.transition(staff["metering_head"], version, "approved")
    assert version.status == "submitted" and version.approved_by is None
    policies.transition(staff["director"], version, "approved")
    policies.transition(owner, version, "in_force")
    assert version.status == "in_force"
    assert version.approved_by == staff["director"].id
    actions = [e.action for e in audit.history(policies.ENTITY, policy.id)]
    assert actions[-3:] == ["policy.submit", "policy.approve", "policy.bring_into_force"]


def test_the_approval_guard_holds_even_if_the_status_is_forced(staff, make_policy, db, en_request):
    """A version set to `approved` without the director's approval on record (a bad import, a hand edit)
    still cannot come into force."""
    version = make_policy(in_force=False).versions[0]
    version.status = "approved"
    with pytest.raises(Invalid) as exc:
        policies.transition(staff["safety_officer"], version, "in_force")
    assert "_schema" in exc.value.errors


def test_submission_needs_a_text_or_pdf_and_an_effective_date(staff, db, en_request):
    policy = policies.create_policy(staff["station_chief"], {"number": "ZD-YY-002", "title": "营业厅服务规范"})
    with pytest.raises(Invalid) as exc:
        policies.transition(staff["station_chief"], policy.versions[0], "submitted")
    assert set(exc.value.errors) == {"summary", "effective_on"}


def test_not_before_its_effective_date(staff, make_policy, db):
    policy = make_policy(in_force=False)
    version = policy.versions[0]
    policies.update_version(staff["safety_officer"], version, {"effective_on": clock.today() + timedelta(days=3),
                                                              "review_on": clock.today() + timedelta(days=300)})
    policies.transition(staff["safety_officer"], version, "submitted")
    policies.transition(staff["director"], version, "approved")
    with pytest.raises(Invalid) as exc:
        policies.transition(staff["safety_officer"], version, "in_force")
    assert "effective_on" in exc.value.errors


def test_return_and_withdraw_need_a_reason_and_the_director(staff, make_policy, db):
    policy = make_policy(in_force=False)
    version = policy.versions[0]
    policies.transition(staff["safety_officer"], version, "submitted")
    with pytest.raises(Invalid):
        policies.transition(staff["director"], version, "draft", reason=" ")
    policies.transition(staff["director"], version, "draft", reason="请补充检漏方法")
    assert version.status == "draft" and version.returned_reason == "请补充检漏方法"
    bring_into_force(staff, version)
    with pytest.raises(NotAllowed):
        policies.transition(staff["safety_officer"], version, "withdrawn", reason="不再适用")
    policies.transition(staff["director"], version, "withdrawn", reason="不再适用")
    assert version.status == "withdrawn"


def test_only_the_owner_or_the_director_changes_a_policy(staff, make_policy, db):
    policy = make_policy(in_force=False)
    with pytest.raises(NotFound):  # another owner's policy: an object rule
        policies.update_version(staff["metering_head"], policy.versions[0], {"summary": "x"})
    with pytest.raises(NotAllowed):  # not a policy owner role at all
        policies.update_version(staff["repair_tech"], policy.versions[0], {"summary": "x"})
    policies.update_version(staff["director"], policy.versions[0], {"summary": "主任修改"})
    assert policy.versions[0].summary == "主任修改"


def test_a_new_version_asks_every_affected_user_to_acknowledge_again(staff, make_policy, db):
    policy = make_policy(applies_to=("repair_tech", "pipe_fitter"))
    v1 = policy.versions[0]
    affected = [u for u in staff.values() if u.role in ("repair_tech", "pipe_fitter") and u.active]
    assert len(affected) == 6
    for user in affected:
        assert [v.id for v in acks.pending(user)] == [v1.id]
        acks.acknowledge(user, v1)
    db.session.commit()
    assert all(acks.pending(u) == [] for u in affected)
    assert acks.progress(staff["safety_officer"], v1).acknowledged == 6
    # Not affected: never asked.
    assert acks.pending(staff["meter_reader"]) == []

    v2 = policies.new_revision(staff["safety_officer"], policy)
    policies.update_version(staff["safety_officer"], v2, {"summary": "新增：进户前开启便携式检测仪。",
                                                          "change_note": "增加检测仪要求", "effective_on": clock.today()})
    # While V2 is on its way nobody is asked anything new.
    assert all(acks.pending(u) == [] for u in affected)
    bring_into_force(staff, v2)
    db.session.commit()
    assert v1.status == "withdrawn" and "V2" in v1.withdrawn_reason
    for user in affected:
        assert [v.id for v in acks.pending(user)] == [v2.id]
    progress = acks.progress(staff["safety_officer"], v2)
    assert (progress.affected, progress.acknowledged) == (6, 0)
    acks.acknowledge(staff["repair_tech"], v2)
    assert acks.pending(staff["repair_tech"]) == []
    assert len(acks.pending(staff["repair_tech2"])) == 1


def test_a_deactivated_user_is_not_counted_and_a_new_user_is_asked(staff, make_policy, db):
    policy = make_policy(applies_to=("pipe_fitter",))
    v1 = policy.versions[0]
    staff["pipe_fitter3"].active = False
    db.session.commit()
    assert acks.progress(staff["safety_officer"], v1).affected == 2
    newcomer = User(username="pipe_fitter9", name="新人", role="pipe_fitter", password_hash="x", active=True,
                    session_token="0" * 32)
    db.session.add(newcomer)
    db.session.commit()
    assert [v.id for v in acks.pending(newcomer)] == [v1.id]
    assert acks.progress(staff["safety_officer"], v1).affected == 3


def test_acknowledging_twice_is_one_acknowledgement_and_not_for_others(staff, make_policy, db):
    v1 = make_policy(applies_to=("repair_tech",)).versions[0]
    first = acks.acknowledge(staff["repair_tech"], v1)
    assert acks.acknowledge(staff["repair_tech"], v1).id == first.id
    with pytest.raises(NotFound):
        acks.acknowledge(staff["card_clerk"], v1)


def test_whole_department_policy_applies_to_everyone(staff, make_policy, db):
    v1 = make_policy(number="ZD-ZH-001", applies_to=()).versions[0]
    assert [v.id for v in acks.pending(staff["card_clerk"])] == [v1.id]
    assert acks.progress(staff["director"], v1).affected == len([u for u in staff.values() if u.active])


def test_staff_see_only_what_applies_to_them_and_is_in_force(staff, make_policy, db):
    in_force = make_policy(number="ZD-AQ-001", applies_to=("repair_tech",))
    draft = make_policy(number="ZD-AQ-002", applies_to=("repair_tech",), in_force=False)
    other = make_policy(number="ZD-JL-001", owner="metering_head", applies_to=("metering_tech",))
    items, total = policies.list_policies(staff["repair_tech"])
    assert [p.number for p in items] == ["ZD-AQ-001"] and total == 1
    with pytest.raises(NotFound):
        policies.get_policy(staff["repair_tech"], draft.id)
    with pytest.raises(NotFound):
        policies.get_policy(staff["repair_tech"], other.id)
    assert policies.get_policy(staff["repair_tech"], in_force.id) is in_force
    items, total = policies.list_policies(staff["metering_head"])
    assert total == 3


def test_pdf_attachment_is_checked_stored_and_served_to_whom_it_applies(staff, make_policy, db, app):
    policy = make_policy(in_force=False, applies_to=("repair_tech",))
    version = policy.versions[0]
    owner = staff["safety_officer"]
    for bad, message in ((b"", "empty"), (b"GIF89a....", "PDF"), (b"%PDF-" + b"0" * (10 * 1024 * 1024), "10 MB")):
        with pytest.raises(Invalid) as exc:
            acks.attach_pdf(owner, version, bad, "x.pdf")
        assert message in exc.value.errors["pdf"][0]
    acks.attach_pdf(owner, version, PDF, "C:\\docs\\规程.pdf")
    assert version.pdf_name == "规程.pdf" and version.pdf_key.endswith(".pdf") and "规程" not in version.pdf_key
    bring_into_force(staff, version)
    db.session.commit()
    assert acks.document(staff["repair_tech"], version.id)[1] == PDF
    with pytest.raises(NotFound):
        acks.document(staff["meter_reader"], version.id)
    # Once approved the document no longer changes.
    with pytest.raises(Conflict):
        acks.attach_pdf(owner, version, PDF, "again.pdf")


def test_compliance_check_raises_nonconformities_in_one_step(staff, make_policy, db):
    policy = make_policy()
    check = checks.record_check(staff["safety_officer"], policy, {
        "checked_on": clock.today(), "scope": "城东营业所维修班", "raise_nc": True,
        "findings": ["王磊未携带检漏仪", "  ", "维修记录未签字"]})
    db.session.commit()
    assert check.result == "findings" and len(check.findings) == 2
    ncs = db.session.query(Nonconformity).order_by(Nonconformity.id).all()
    assert len(ncs) == 2
    assert {nc.origin for nc in ncs} == {"audit"}
    assert [f.nonconformity_id for f in check.findings] == [nc.id for nc in ncs]
    assert ncs[0].source_entity == checks.FINDING_ENTITY and ncs[0].source_id == check.findings[0].id
    # Raising again returns the same nonconformity.
    assert checks.raise_finding(staff["safety_officer"], check.findings[0]).id == ncs[0].id
    clean = checks.record_check(staff["director"], policy, {"checked_on": clock.today(), "scope": "城西营业所"})
    assert clean.result == "compliant" and clean.findings == []


def test_a_check_needs_a_policy_in_force_and_no_future_date(staff, make_policy, db):
    with pytest.raises(Conflict):
        checks.record_check(staff["safety_officer"], make_policy(number="ZD-1", in_force=False),
                            {"checked_on": clock.today(), "scope": "x"})
    with pytest.raises(Invalid):
        checks.record_check(staff["safety_officer"], make_policy(number="ZD-2"),
                            {"checked_on": clock.today() + timedelta(days=1), "scope": "x"})


def test_numbers_are_unique_whatever_the_case(staff, make_policy, db, en_request):
    make_policy(number="ZD-AQ-001")
    with pytest.raises(Invalid) as exc:
        policies.create_policy(staff["director"], {"number": "zd-aq-001", "title": "重复"})
    assert "number" in exc.value.errors


def test_only_policy_owners_create(staff, db, en_request):
    with pytest.raises(NotAllowed):
        policies.create_policy(staff["repair_tech"], {"number": "X-1", "title": "t"})
    with pytest.raises(Invalid):  # the owner must be one who may own policies
        policies.create_policy(staff["director"], {"number": "X-1", "title": "t", "owner_id": staff["card_clerk"].id})
