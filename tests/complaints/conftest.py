"""Fixtures of the complaint tests: staff, two customers in different districts, a helper that takes a
complaint in through the service and walks it along the state table, and a way to move its clocks."""
from datetime import timedelta

import pytest

from fieldsvc.complaints.models import Complaint
from fieldsvc.complaints.services import followup, handling, intake
from tests import factories

EN = {"Accept-Language": "en"}

# The path of a complaint through the states, and what each move needs.
PATH = ["contacted", "investigating", "solution_proposed", "solution_approved", "resolved", "closed"]


def move_data(to: str, complaint: Complaint) -> dict:
    if to == "contacted":
        return {"department": "metering_office"}
    if to == "solution_proposed":
        return {"cause": "meter_fault", "cause_detail": "表计走快 4 %",
                "solutions": [{"description": "更换燃气表并退还多收气费", "compensation": "35.50"},
                              {"description": "仅更换燃气表"}]}
    if to == "solution_approved":
        return {"solution_id": complaint.current_solutions[0].id}
    if to == "resolved":
        return {"actions": "已更换燃气表，退费 35.50 元"}
    return {}


@pytest.fixture
def en_request(app):
    """Services translate their messages, which needs a request (the user's language): English here."""
    with app.test_request_context(headers=EN, method="POST"):
        yield


@pytest.fixture
def customers(staff, db):
    """One customer in D01 (chief: station_chief2) and one in D03 (chief: station_chief)."""
    return [factories.customer(account, name=name, phone=phone, district=factories.district(code),
                               address=f"幸福小区 {account}")
            for account, name, phone, code in (("61000001", "王小明", "13800000001", "D01"),
                                               ("61000002", "李四", "13800000002", "D03"))]


@pytest.fixture
def make_complaint(staff, customers, db, en_request):
    """make_complaint(receiver="station_chief", upto="received", **fields) → a complaint taken in by
    `receiver` and moved along PATH by the station chief (approval by the director) up to `upto`."""
    def _make(receiver: str = "station_chief", upto: str = "received", customer=None, **fields):
        data = {"channel": "hotline", "category": "meter_accuracy", "description": "燃气表走得太快",
                "contact_name": "王小明", "contact_phone": "13800000001",
                "customer_id": (customer or customers[0]).id, **fields}
        if data["customer_id"] is None:
            data.pop("customer_id")
        complaint = intake.receive(staff[receiver], data)
        if upto != "received":
            for to in PATH[:PATH.index(upto) + 1]:
                actor = staff["director"] if to == "solution_approved" else staff["station_chief"]
                handling.transition(actor, complaint.id, to, move_data(to, complaint))
        db.session.commit()
        return complaint
    return _make


@pytest.fixture
def shift(db):
    """shift(complaint, hours) moves every clock of the complaint `hours` into the past."""
    def _shift(complaint: Complaint, hours: float):
        delta = timedelta(hours=hours)
        for name in ("received_at", "first_contact_due", "first_contacted_at", "resolve_due", "resolved_at",
                     "closed_at", "followed_up_at"):
            value = getattr(complaint, name)
            if value is not None:
                setattr(complaint, name, value - delta)
        db.session.commit()
    return _shift


def followup_call(staff, complaint, score, comments=None):
    return followup.record_followup(staff["station_chief"], complaint.id, score, comments)


def jpeg_bytes(color=(200, 30, 30), size=(64, 48)) -> bytes:
    return factories.jpeg(size, color)
