"""Photos and the signature of an order (stored by fieldsvc.uploads, linked to entity "work_order")."""
import base64
import io

from PIL import Image
from sqlalchemy import select

from fieldsvc import uploads
from fieldsvc.dispatch.models import WorkOrder
from fieldsvc.dispatch.services.orders import may_see
from fieldsvc.errors import NotFound
from fieldsvc.extensions import db

ENTITY = "work_order"


def attachments(actor, order: WorkOrder) -> tuple[list[uploads.Upload], uploads.Upload | None]:
    """(photos, signature) of the order, oldest photo first."""
    if not may_see(actor, order):
        raise NotFound()
    rows = db.session.execute(select(uploads.Upload).where(uploads.Upload.entity == ENTITY,
                                                           uploads.Upload.entity_id == order.id)
                              .order_by(uploads.Upload.id)).scalars().all()
    photos = [u for u in rows if u.purpose == "photo"]
    signature = next((u for u in rows if u.purpose == "signature"), None)
    return photos, signature


THUMB_SIDE = 480  # px: sharp at 40 mm wide on paper, a few tens of kB in the PDF


def data_uri(upload: uploads.Upload, thumbnail: bool = False) -> str:
    """The picture inline (a PDF fetches nothing); a photo shrunk to a thumbnail when asked."""
    data, content_type = uploads.read(upload), upload.content_type
    if thumbnail and max(upload.width, upload.height) > THUMB_SIDE:
        with Image.open(io.BytesIO(data)) as img:
            img.thumbnail((THUMB_SIDE, THUMB_SIDE))
            out = io.BytesIO()
            img.convert("RGB").save(out, "JPEG", quality=80)
        data, content_type = out.getvalue(), "image/jpeg"
    return f"data:{content_type};base64," + base64.b64encode(data).decode("ascii")
