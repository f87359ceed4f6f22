"""Completing an order: notes, parts off the technician's stock, photos, the customer's signature,
the type's results; then the follow-up call the rules ask for. Also the follow-up call itself."""
import base64
import binascii
from decimal import Decimal

from flask_babel import gettext as _

from fieldsvc import clock, uploads
from fieldsvc.dispatch import rules
from fieldsvc.dispatch.models import Completion, WorkOrder
from fieldsvc.dispatch.schemas.results import load_results
from fieldsvc.dispatch.services import custody, effects
from fieldsvc.dispatch.services.steps import check_move, claim, new_order, record_event
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.instruments import pressure as instruments
from fieldsvc.models import utcnow

# The results that are pressures read with an instrument (pressure_check, purge_ignition's tightness test).
PRESSURE_FIELDS = ("static_pa", "working_pa", "test_pressure_kpa")

DATA_URL_PREFIX = "data:image/png;base64,"
MAX_PHOTOS = 10
MAX_SIGNATURE_CHARS = 2_000_000  # a drawn signature is a few tens of kB; anything bigger is not one


def decode_signature(data_url: str) -> bytes:
    """The PNG bytes of the pad's data URL (the picture itself is checked by uploads.save_image)."""
    if not data_url.startswith(DATA_URL_PREFIX) or len(data_url) > MAX_SIGNATURE_CHARS:
        raise Invalid({"signature": [_("The signature could not be read. Please sign again.")]})
    try:
        return base64.b64decode(data_url[len(DATA_URL_PREFIX):], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Invalid({"signature": [_("The signature could not be read. Please sign again.")]}) from exc


KEPT_PHOTO_PREFIXES = ("data:image/jpeg;base64,", "data:image/png;base64,")
MAX_KEPT_PHOTO_CHARS = 4_000_000  # a downscaled phone photo is a few hundred kB; larger ones are re-attached


def keep_photo(photo: bytes) -> str | None:
    """A photo sent with a refused completion, as a data URL the form carries back (so nothing taken is
    lost), or None when it is too big to carry."""
    kind = "png" if photo.startswith(b"\x89PNG") else "jpeg"
    value = f"data:image/{kind};base64,{base64.b64encode(photo).decode()}"
    return value if len(value) <= MAX_KEPT_PHOTO_CHARS else None


def decode_kept_photo(data_url: str) -> bytes:
    """The bytes of a photo the form carried back (checked again as a picture by uploads.save_image)."""
    prefix = next((p for p in KEPT_PHOTO_PREFIXES if data_url.startswith(p)), None)
    if prefix is None or len(data_url) > MAX_KEPT_PHOTO_CHARS:
        raise Invalid({"photos": [_("A photo could not be read. Please take it again.")]})
    try:
        return base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Invalid({"photos": [_("A photo could not be read. Please take it again.")]}) from exc


def _check(order: WorkOrder, data: dict, photos: list[bytes]) -> tuple[dict, bytes | None]:
    """Everything that can be refused is refused before a file is written or a row changed."""
    errors: dict[str, list[str]] = {}
    try:
        results = load_results(order.type, data.get("results") or {})
        # a pressure read with an instrument past its calibration due date is refused (instrument_id)
        errors.update(instruments.reading_errors(results, clock.today(), PRESSURE_FIELDS))
    except Invalid as exc:
        errors.update(exc.errors)
        results = {}
    signature = None
    if data.get("signature"):
        try:
            signature = decode_signature(data["signature"])
        except Invalid as exc:
            errors.update(exc.errors)
    elif rules.needs_signature(order.type) and not data.get("no_signature_reason"):
        errors["signature"] = [_("The customer's signature is needed, or the reason why there is none.")]
    if order.type in rules.PHOTO_REQUIRED and not photos:
        errors["photos"] = [_("Take at least one photo.")]
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)d photos per job.", n=MAX_PHOTOS)]
    if errors:
        raise Invalid(errors)
    return results, signature


def complete_order(actor, order: WorkOrder, version: int, data: dict, photos: list[bytes] | None = None,
                   lat: Decimal | None = None, lng: Decimal | None = None, note: str | None = None) -> WorkOrder:
    """data: work_notes, results {…per type}, parts [{item_id, quantity}], signature (PNG data URL)
    or no_signature_reason. photos: the raw bytes of each picture (re-encoded by uploads)."""
    photos = [p for p in (photos or []) if p]
    move = check_move(actor, order, rules.Status.completed)
    results, signature = _check(order, data, photos)
    parts = custody.check_parts(actor, data.get("parts") or [])
    claim(order, version)
    effects.apply(actor, order, results)  # before any file is written: a refusal here leaves nothing behind
    now = utcnow()
    for photo in photos:
        uploads.save_image(actor, photo, "photo", "work_order", order.id, field="photos")
    signature_upload = (uploads.save_image(actor, signature, "signature", "work_order", order.id, field="signature")
                        if signature else None)
    db.session.add(Completion(work_order_id=order.id, completed_by_id=actor.id, completed_at=now,
                              work_notes=data.get("work_notes"), results=results,
                              signature_id=signature_upload.id if signature_upload else None,
                              no_signature_reason=None if signature_upload else data.get("no_signature_reason")))
    custody.use_parts(actor, order, parts)
    from_status = order.status
    order.status, order.completed_at = rules.Status.completed, now
    record_event(actor, order, move.action, from_status, lat=lat if move.gps else None,
                 lng=lng if move.gps else None, note=note or data.get("work_notes"))
    if rules.creates_followup(order.type):
        _followup(actor, order)
    return order


def _followup(actor, order: WorkOrder) -> WorkOrder:
    """A completed repair or purge-and-ignite: the office calls the customer on the next working day."""
    data = {"type": rules.OrderType.followup_visit, "customer_id": order.customer_id,
            "address": order.address, "district_id": order.district_id, "description": order.description,
            "contact_name": order.contact_name, "contact_phone": order.contact_phone}
    return new_order(actor, data, parent=order)
