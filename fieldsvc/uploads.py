"""Photos and signatures: decoded and re-encoded with Pillow, metadata stripped, stored under generated names.

The type of a file is decided by decoding it, never by its name or the browser's word. Files are kept
behind a small storage interface (a local folder by default) and served only to users allowed to see
the record they belong to: each domain registers a visibility check for its entity; none → refused.
"""
import hashlib
import io
import secrets
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, current_app, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldsvc import registry
from fieldsvc.errors import Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin

MAX_SIDE = 1600  # px: plenty for a meter register or a hose clamp, small enough for a phone upload
# Pixel budget (width × height, read from the file's header before anything is decoded); the app's
# UPLOAD_MAX_PIXELS overrides it. Phones downscale photos before upload, so 24 Mpx is generous, and a
# 20 KB PNG claiming 8900×8900 is refused without being decoded (it would take ~670 MB to decode).
MAX_PIXELS = 24_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard, in case anything else opens images
# Above the budget we refuse ourselves (below, by reading .size); Pillow's warning for that band is noise.
warnings.simplefilter("ignore", Image.DecompressionBombWarning)


class Upload(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "uploads"

    key: Mapped[str] = mapped_column(String(64), unique=True)  # generated storage name
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(20))  # photo | signature | …
    entity: Mapped[str | None] = mapped_column(String(40))  # the record it belongs to
    entity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LocalStorage:
    """Files in a local folder (instance/uploads by default); swap for a shared store when scaling out."""

    def __init__(self, root: Path):
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()


def storage() -> LocalStorage:
    root = current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    return LocalStorage(Path(root))


def register_visibility(app, entity: str, check: Callable) -> None:
    """The domain that owns `entity` says who may see its uploads: fn(actor, entity_id) -> bool."""
    registry.of(app).upload_visibility[entity] = check


@dataclass(frozen=True)
class PreparedImage:
    """An image already checked and re-encoded (no database work): `save_image` stores it as it is.

    Decode before the request's write transaction starts (the public complaint form does), so no
    lock is held while Pillow works."""

    data: bytes
    content_type: str
    width: int
    height: int
    purpose: str


def _unreadable(name: str) -> Invalid:
    return Invalid({name: [_("This file is not a picture we can read (JPEG, PNG or WebP).")]})


def _too_large(name: str, budget: int) -> Invalid:
    return Invalid({name: [_("The picture is too large: at most %(mpx)d megapixels. Send a smaller photo.",
                             mpx=budget // 1_000_000)]})


def _pixel_budget() -> int:
    return int(current_app.config.get("UPLOAD_MAX_PIXELS", MAX_PIXELS))


def _reencode(data: bytes, purpose: str, name: str, budget: int) -> PreparedImage:
    try:
        with Image.open(io.BytesIO(data)) as img:  # lazy: reads the header only
            width, height = img.size
            if width * height > budget:
                raise _too_large(name, budget)
            img.draft("RGB" if purpose != "signature" else None, (MAX_SIDE, MAX_SIDE))  # JPEG: decode scaled down
            img.load()
            img = ImageOps.exif_transpose(img)  # keep the orientation, then drop all metadata
            if purpose == "signature":
                img = img.convert("LA") if img.mode in ("LA", "L", "P", "RGBA") else img.convert("L")
                fmt, content_type, options = "PNG", "image/png", {"optimize": True}
            else:
                img = img.convert("RGB")
                fmt, content_type, options = "JPEG", "image/jpeg", {"quality": 82, "optimize": True}
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            img.save(out, fmt, **options)  # a fresh file: no EXIF, no GPS, no comments
            return PreparedImage(out.getvalue(), content_type, img.width, img.height, purpose)
    except Image.DecompressionBombError as exc:  # Pillow's own guard (2 × the budget), also from the header
        raise _too_large(name, budget) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise _unreadable(name) from exc


def _field_name(purpose: str, field: str | None) -> str:
    return field or ("signature" if purpose == "signature" else "photo")


def prepare_image(data: bytes, purpose: str = "photo", field: str | None = None) -> PreparedImage:
    """Check and re-encode an image without touching the database. Raises Invalid naming `field`:
    empty, over UPLOAD_MAX_BYTES, not a picture, or more pixels than UPLOAD_MAX_PIXELS (read from the
    header before decoding)."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    name = _field_name(purpose, field)
    if not data:
        raise Invalid({name: [_("The file is empty.")]})
    if len(data) > limit:
        raise Invalid({name: [_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024))]})
    return _reencode(data, purpose, name, _pixel_budget())


def prepare_images(blobs: Iterable[bytes], purpose: str = "photo", field: str | None = None) -> list[PreparedImage]:
    """prepare_image for each non-empty blob (a multiple file input)."""
    return [prepare_image(blob, purpose, field) for blob in blobs if blob]


def save_image(actor, data: "bytes | PreparedImage", purpose: str = "photo", entity: str | None = None,
               entity_id: int | None = None, field: str | None = None) -> Upload:
    """Check, re-encode and store an image (or store one prepare_image already checked). Flushes; the
    caller commits with its record."""
    image = data if isinstance(data, PreparedImage) else prepare_image(data, purpose, field)
    key = secrets.token_hex(16) + (".png" if image.content_type == "image/png" else ".jpg")
    storage().put(key, image.data)
    upload = Upload(key=key, content_type=image.content_type, size=len(image.data), width=image.width,
                    height=image.height, sha256=hashlib.sha256(image.data).hexdigest(), purpose=image.purpose,
                    entity=entity, entity_id=entity_id, uploaded_by=getattr(actor, "id", None))
    db.session.add(upload)
    db.session.flush()
    return upload


def attach(uploads: list[Upload], entity: str, entity_id: int) -> None:
    """Point uploads saved before their record existed at that record."""
    for upload in uploads:
        upload.entity, upload.entity_id = entity, entity_id


def get_visible(actor, upload_id: int) -> Upload:
    """The upload if the actor may see the record it belongs to; otherwise NotFound (no existence leak)."""
    upload = db.session.get(Upload, upload_id)
    check = registry.of().upload_visibility.get(upload.entity) if upload is not None else None
    if upload is None or check is None or not check(actor, upload.entity_id):
        raise NotFound()
    return upload


def read(upload: Upload) -> bytes:
    return storage().get(upload.key)


bp = Blueprint("uploads", __name__)


@bp.get("/uploads/<int:upload_id>")
@login_required
def serve(upload_id):
    upload = get_visible(current_user, upload_id)
    response = send_file(io.BytesIO(read(upload)), mimetype=upload.content_type, max_age=0)
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["Content-Disposition"] = "inline"
    return response


def init_app(app) -> None:
    Image.MAX_IMAGE_PIXELS = int(app.config.get("UPLOAD_MAX_PIXELS", MAX_PIXELS))
    app.register_blueprint(bp)
