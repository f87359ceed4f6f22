"""Image bombs (issue 23, item 3): the header is read first and a picture over the pixel budget is
refused naming the field, before anything is decoded; on the public complaint form the photos are
decoded before the request's first query (which opens SQLite's write transaction)."""
import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile
from sqlalchemy import event

from fieldsvc import uploads
from fieldsvc.complaints.models import Complaint
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db as _db
from tests import factories

EN = {"Accept-Language": "en"}
FORM = {"category": "billing", "description": "账单有误", "contact_name": "王小明", "contact_phone": "13911112222"}


def png_bomb(side: int = 8900) -> bytes:
    """A valid grey PNG of side × side black pixels: ~80 KB on disk, 79 Mpx once decoded (the probe's file)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    packer = zlib.compressobj(9)
    row = bytes(side + 1)  # filter byte 0, then the row's pixels
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def jpeg(size=(64, 48)) -> bytes:
    return factories.jpeg(size)


@pytest.fixture
def decodes(monkeypatch):
    """Every image decode (ImageFile.load) the app does, counted."""
    seen = []
    real = ImageFile.ImageFile.load

    def counting(self):
        seen.append(self.size)
        return real(self)
    monkeypatch.setattr(ImageFile.ImageFile, "load", counting)
    return seen


@pytest.fixture(scope="module")
def bomb():
    return png_bomb()


def test_the_bomb_is_small_but_huge(bomb):
    assert len(bomb) < 200_000
    assert struct.unpack(">II", bomb[16:24]) == (8900, 8900)  # IHDR: width, height


def test_public_form_refuses_the_bomb_without_decoding_it(staff, client, db, bomb, decodes):
    response = client.post("/feedback", headers=EN, data={
        **FORM, "photos": [(io.BytesIO(bomb), "bomb.png")]})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The picture is too large: at most 24 megapixels" in html
    assert decodes == []  # refused from the header: nothing was decoded
    assert db.session.query(Complaint).count() == 0
    assert "账单有误" in html  # the typed form is kept


def test_service_refuses_over_budget_naming_the_field(app, staff, bomb, decodes):
    with app.test_request_context(headers=EN), pytest.raises(Invalid) as caught:
        uploads.save_image(staff["repair_tech"], bomb, "photo", field="photo_after")
    assert list(caught.value.errors) == ["photo_after"]
    assert decodes == []


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # refused by us, not by the warning
@pytest.mark.parametrize(("budget", "size", "accepted"), [
    (24_000_000, (7000, 7000), False),  # 49 Mpx: Pillow's own guard (2 × budget) refuses it at open
    (24_000_000, (6000, 4000), True),   # exactly 24 Mpx: a big phone photo
    (24_000_000, (6000, 4001), False),  # one row more
    (1_000_000, (1000, 1000), True),
    (1_000_000, (1001, 1000), False),   # the budget is configuration
])
def test_pixel_budget_edge(app, budget, size, accepted, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_PIXELS", budget)
    picture = factories.png(size, 0, mode="L")
    with app.test_request_context(headers=EN):
        if accepted:
            image = uploads.prepare_image(picture, "photo")
            assert max(image.width, image.height) == min(uploads.MAX_SIDE, max(size))
        else:
            with pytest.raises(Invalid):
                uploads.prepare_image(picture, "photo")


def test_pillow_limit_follows_the_budget(app):
    assert Image.MAX_IMAGE_PIXELS == app.config["UPLOAD_MAX_PIXELS"] == 24_000_000


def test_public_form_decodes_before_the_write_transaction(staff, client, db, decodes):
    """The order of events in one POST /feedback: every decode comes before the first BEGIN."""
    db.session.rollback()
    order = []
    decodes_at_begin = []

    def on_begin(conn):
        order.append("begin")
        decodes_at_begin.append(len(decodes))
    event.listen(_db.engine, "begin", on_begin)
    try:
        db.session.close()  # the next statement opens a fresh transaction (and fires "begin")
        response = client.post("/feedback", headers=EN, data={
            **FORM, "photos": [(io.BytesIO(jpeg()), "a.jpg"), (io.BytesIO(jpeg((80, 60))), "b.jpg")]})
    finally:
        event.remove(_db.engine, "begin", on_begin)
    assert response.status_code == 302
    assert {(64, 48), (80, 60)} <= set(decodes)  # both photos were decoded…
    assert order and decodes_at_begin[0] == len(decodes)  # …all of it before the first BEGIN
    complaint = db.session.query(Complaint).one()
    assert len(db.session.query(uploads.Upload).filter_by(entity="complaint", entity_id=complaint.id).all()) == 2
