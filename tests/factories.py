"""Small builders for test data: picture bytes, districts, staff, customers and meters.

One place for what many test files used to build by hand. Each builder takes only what a test cares
about and fills the rest with valid values; records are committed (pass `commit=False` to only flush),
so a test client sees them at once. Use inside an app context (the `app`/`db` fixtures give one).
"""
import base64
import io
import itertools
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from PIL import Image
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from fieldsvc import clock
from fieldsvc.auth.models import Qualification, User
from fieldsvc.core.demo import DEMO_PASSWORD, DISTRICTS, ROLE_QUALIFICATION, STAFF
from fieldsvc.customers.models import Appliance, Customer, District, Meter, MeterInstallation
from fieldsvc.extensions import db

_numbers = itertools.count(1)


# --- pictures (uploads are decoded, so fake bytes would be refused) -----------------------------------

def image(fmt: str = "JPEG", size=(64, 48), color=(200, 30, 30), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def jpeg(size=(64, 48), color=(200, 30, 30)) -> bytes:
    return image("JPEG", size, color)


def png(size=(64, 48), color=(200, 30, 30), mode: str = "RGB") -> bytes:
    return image("PNG", size, color, mode)


def signature_png() -> bytes:
    """A transparent PNG with a pen stroke across it, as the signature pad sends."""
    img = Image.new("LA", (120, 40), (0, 0))
    for x in range(10, 110):
        img.putpixel((x, 20 + (x % 7)), (0, 255))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def signature_data_url() -> str:
    return "data:image/png;base64," + base64.b64encode(signature_png()).decode()


# --- places and people ---------------------------------------------------------------------------------

def districts() -> list[District]:
    """The demo's districts (D01 城东片区 …), created when missing; ordered by code."""
    have = set(db.session.scalars(select(District.code)))
    db.session.add_all(District(code=code, name=name) for code, name in DISTRICTS if code not in have)
    db.session.flush()
    return list(db.session.scalars(select(District).order_by(District.code)))


def district(code: str | None = None) -> District:
    """A district by code, else the first one (created with the others when none exist)."""
    return _district(code)


def _district(code: str | None = None) -> District:
    rows = districts()
    return next(d for d in rows if d.code == code) if code else rows[0]


def staff(today: date | None = None, commit: bool = True) -> dict[str, User]:
    """The demo's staff: one user per role code (username = role) plus field crews, password
    DEMO_PASSWORD, each with the qualification of their role. Station chiefs and meter readers get a
    district; metering_tech3's licence runs out in 30 days. Returns {username: User}."""
    today = today or clock.today()
    rows = districts()
    have = {u.username: u for u in db.session.scalars(select(User))}
    password_hash = generate_password_hash(DEMO_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
    for i, (username, role, name) in enumerate(STAFF):
        if username in have:
            continue
        user = User(username=username, role=role, name=name, password_hash=password_hash, active=True,
                    session_token=f"{i:032x}", phone=f"139{i:08d}",
                    district_id=rows[i % len(rows)].id if role in ("station_chief", "meter_reader") else None)
        kind, issuer = ROLE_QUALIFICATION[role]
        issued = today - timedelta(days=1000)
        expires = today + timedelta(days=30) if username == "metering_tech3" else issued + timedelta(days=365 * 5)
        user.qualifications.append(Qualification(kind=kind, number=f"Q{i:07d}", issuer=issuer, issued_on=issued,
                                                 expires_on=expires))
        db.session.add(user)
        have[username] = user
    _finish(commit)
    return have


# --- customers and meters ------------------------------------------------------------------------------

def customer(account_no: str | None = None, *, district=None, appliances=(), commit: bool = True,
             **fields) -> Customer:
    """A residential NG household in 幸福小区 (any field can be given). `appliances`: (kind, age in days)
    pairs, e.g. [("stove", 730)]."""
    account_no = account_no or f"9{next(_numbers):07d}"
    values = dict(name=f"用户{account_no[-3:]}", category="residential", gas="NG", phone="13800000000",
                  estate="幸福小区", building="3", unit="2", floor="5", room="501",
                  address=f"幸福小区 3栋 2单元 5层 501室 ({account_no})")
    values.update(fields)
    if "district_id" not in values:
        values["district_id"] = (district or _district()).id
    row = Customer(account_no=account_no, **values)
    db.session.add(row)
    db.session.flush()
    for kind, age_days in appliances:
        db.session.add(Appliance(customer_id=row.id, kind=kind, brand="方太", flame_failure=True,
                                 sold_on=clock.today() - timedelta(days=age_days)))
    _finish(commit)
    return row


def meter(serial_no: str | None = None, *, customer=None, installed_on: date | None = None,
          installation: bool = True, commit: bool = True, **fields) -> Meter:
    """A G2.5 diaphragm meter, class 1.5. Without a customer it is in stock; with one it is installed
    (400 days ago unless `installed_on` is given, verified 20 days before) and, unless
    `installation=False`, has its installation record from 0 m³."""
    serial_no = serial_no or f"TM{next(_numbers):07d}"
    values = dict(size="G2.5", accuracy_class="1.5", kind="diaphragm", location="indoor", maker="金卡智能",
                  start_reading=Decimal(0), digits=5, status="installed" if customer is not None else "in_stock")
    values.update(fields)
    row = Meter(serial_no=serial_no, **values)
    if customer is not None:
        row.customer = customer
        row.installed_on = installed_on or clock.today() - timedelta(days=400)
        if "first_verified_on" not in fields:
            row.first_verified_on = row.installed_on - timedelta(days=20)
        if installation:
            row.installations.append(MeterInstallation(customer=customer, installed_on=row.installed_on,
                                                       start_reading=row.start_reading))
    db.session.add(row)
    _finish(commit)
    return row


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()
