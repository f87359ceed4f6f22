"""Taking a request or complaint in, from the hotline, the counter, field staff, the API or the public
web form. Whoever receives it owns it until it is closed (首问负责制).

Owner of a web submission (no receiver): the station chief of the customer's district — known from the
account number given, else from the district chosen on the form — and, when neither is known or that
district has no active chief, the active station chief with the lowest id (the first one on record).
With no active station chief at all, the first active director owns it, so nothing is left unowned.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.complaints import rules
from fieldsvc.complaints.models import Complaint
from fieldsvc.complaints.services.common import ENTITY, record_event, resolve_due, targets
from fieldsvc.customers.models import Customer, District
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import P, require
from fieldsvc.uploads import attach, save_image

MAX_PHOTOS = 3


def receive(actor, data: dict, photos: list[bytes] | None = None) -> Complaint:
    """Staff intake. data: channel, category, description, contact_name, contact_phone, optional
    customer_id or account_no, district_id, address. The receiver becomes the owner."""
    require(actor, P.complaints_intake)
    customer = _customer(data)
    district_id = _district_id(data, customer)
    return _create(actor, data, customer, district_id, owner_id=actor.id, photos=photos)


def receive_public(data: dict, photos: list[bytes] | None = None) -> Complaint:
    """The public web form (no login). An account number that matches no customer is kept as typed but
    not linked, and the answer is the same either way: the form must not reveal which accounts exist."""
    account_no = data.get("account_no")
    customer = None
    if account_no:
        customer = db.session.execute(select(Customer).where(Customer.account_no == account_no)).scalar_one_or_none()
    district_id = customer.district_id if customer else _known_district(data.get("district_id"))
    data = {**data, "channel": rules.Channel.web}
    return _create(None, data, customer, district_id, owner_id=web_owner_id(district_id), photos=photos)


def web_owner_id(district_id: int | None) -> int | None:
    """The station chief of the district, else the first active station chief, else the first director."""
    base = select(User.id).where(User.active.is_(True)).order_by(User.id).limit(1)
    if district_id:
        owner = db.session.execute(base.where(User.role == "station_chief", User.district_id == district_id)).scalar()
        if owner:
            return owner
    owner = db.session.execute(base.where(User.role == "station_chief")).scalar()
    return owner or db.session.execute(base.where(User.role == "director")).scalar()


def _customer(data: dict) -> Customer | None:
    if data.get("customer_id") is not None:
        customer = db.session.get(Customer, data["customer_id"])
        if customer is None:
            raise Invalid({"customer_id": [_("No such customer.")]})
        return customer
    if data.get("account_no"):
        customer = db.session.execute(select(Customer).where(Customer.account_no == data["account_no"])
                                      ).scalar_one_or_none()
        if customer is None:
            raise Invalid({"account_no": [_("No customer has this account number.")]})
        return customer
    return None


def _known_district(district_id) -> int | None:
    return district_id if district_id and db.session.get(District, district_id) is not None else None


def _district_id(data: dict, customer: Customer | None) -> int | None:
    if customer is not None:
        return customer.district_id
    if data.get("district_id") is not None and _known_district(data["district_id"]) is None:
        raise Invalid({"district_id": [_("Choose the district.")]})
    return data.get("district_id")


def _create(actor, data: dict, customer: Customer | None, district_id: int | None, owner_id: int | None,
            photos: list[bytes] | None) -> Complaint:
    if photos and len(photos) > MAX_PHOTOS:
        raise Invalid({"photos": [_("At most %(n)d photos.", n=MAX_PHOTOS)]})
    now = utcnow()
    table = targets()
    complaint = Complaint(
        channel=data["channel"], category=data["category"], description=data["description"],
        contact_name=data["contact_name"], contact_phone=data["contact_phone"],
        customer_id=customer.id if customer else None, account_no_given=data.get("account_no"),
        district_id=district_id, address=data.get("address") or (customer.address if customer else None),
        complainant_key=rules.complainant_key(customer.id if customer else None, data["contact_phone"]),
        status=rules.Status.received, received_by_id=getattr(actor, "id", None), owner_id=owner_id,
        received_at=now, first_contact_due=rules.first_contact_due(data["category"], now, table),
        resolve_due=resolve_due(data["category"], now), reopen_count=0)
    saved = [save_image(actor, blob, "photo", field="photos") for blob in photos or [] if blob]
    _insert_with_tracking_no(complaint)
    attach(saved, ENTITY, complaint.id)
    record_event(actor, complaint, "receive", None, channel=complaint.channel, category=complaint.category,
                 owner_id=owner_id, tracking_no=complaint.tracking_no, photos=len(saved) or None)
    return complaint


def _insert_with_tracking_no(complaint: Complaint, attempts: int = 5) -> None:
    """A fresh random tracking number, drawn again on the (rare: 1 in 10^9 a day) clash with one in use.
    The unique constraint still guards the race between two simultaneous draws of the same number."""
    for _attempt in range(attempts):
        number = rules.tracking_number(clock.today())
        if db.session.execute(select(Complaint.id).where(Complaint.tracking_no == number)).first() is None:
            complaint.tracking_no = number
            db.session.add(complaint)
            db.session.flush()
            return
    raise RuntimeError("could not draw a free tracking number")
