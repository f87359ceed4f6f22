"""The pure rules behind the public reply: what counts as a phone number, masking, names, and when the
reply is public."""
import pytest

from fieldsvc.complaints import rules


@pytest.mark.parametrize("text, phone", [
    ("13800000001", True), ("请拨打13912345678咨询", True), ("138 0000 0001", True), ("138-0000-0001", True),
    ("+86 13800000001", True), ("8613800000001", True), ("１３８００００００01", True),
    ("010-12345678", True), ("0571 8888 6666", True), ("(0571)88886666", True), ("０１０－１２３４５６７８", True),
    ("400-123-4567", True), ("8001234567", True), ("88886666", True), ("8888-6666", True), ("1234567", True),
    ("20000001", True),                                 # an account number: kept off the public page too
    ("2026-11-28", False), ("2026年11月28日", False), ("TS-20261127-7KX2QM", False), ("35.50 元", False),
    ("读数 12345", False), ("2026-2027 年度", False), ("G2.5 表", False), ("123456", False),
    ("12800000001", False),                             # no mobile starts 12
    ("138000000012", False),                            # 12 digits: no phone, no 7–8 digit number either
])
def test_contains_phone(text, phone):
    assert rules.contains_phone(text) is phone


@pytest.mark.parametrize("text, masked", [
    ("请拨打13800000001或 0571-8888 6666 咨询", "请拨打***或 *** 咨询"),
    ("已于2026-11-28更换，退费 35.50 元。", "已于2026-11-28更换，退费 35.50 元。"),  # untouched, full-width comma kept
    ("＋８６ １３９１２３４５６７８，谢谢", "***，谢谢"),
    ("", ""),
])
def test_mask_phones(text, masked):
    assert rules.mask_phones(text) == masked


@pytest.mark.parametrize("text, names, found", [
    ("已安排王磊上门", ["王磊", "周建国"], ["王磊"]),
    ("已安排 ALICE 上门", ["Alice"], ["Alice"]),
    ("已安排师傅上门", ["王磊", "周建国"], []),
    ("王", ["王"], []),               # a single letter is no name to look for
    ("已安排上门", [None, "", "  "], []),
])
def test_names_in(text, names, found):
    assert rules.names_in(text, names) == found


def test_reply_problems():
    assert rules.reply_problems("王磊 13800000001", ["王磊"]) == {"phone": [], "names": ["王磊"]}
    assert rules.reply_problems("已更换燃气表", ["王磊"]) == {}


@pytest.mark.parametrize("status, public", [
    ("received", False), ("contacted", False), ("investigating", False), ("solution_proposed", False),
    ("solution_approved", True), ("resolved", True), ("closed", True), ("rejected_invalid", False),
    ("closed_invalid", False),
])
def test_public_reply_only_once_a_solution_is_approved(status, public):
    assert (rules.public_reply(status, "已更换，热线 13800000001") == "已更换，热线 ***") is public
    assert rules.public_reply(status, None) is None
