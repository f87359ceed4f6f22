"""Photos and signatures: decoded and re-encoded with Pillow, metadata stripped, stored under generated names.

The type of a file is decided by decoding it, never by its name or the browser's word. Files are kept
behind a small storage interface (a local folder by default) and served only to users allowed to see
the record they belong to: each domain registers a visibility check for its entity; none → refused.
"""
import hashlib
import io
import secrets
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, current_app, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldsvc.errors import Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin

MAX_SIDE = 1600  # px: plenty for a meter register or a hose clamp, small enough for a phone upload
Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


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


# entity name → fn(actor, entity_id) -> bool. Registered by the domain that owns the entity.
VISIBILITY: dict[str, Callable] = {}


def register_visibility(entity: str, check: Callable) -> None:
    VISIBILITY[entity] = check


def _reencode(data: bytes, purpose: str) -> tuple[bytes, str, int, int]:
    try:
        with Image.open(io.BytesIO(data)) as img:
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
            return out.getvalue(), content_type, img.width, img.height
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise Invalid({"photo" if purpose != "signature" else "signature":
                       [_("This file is not a picture we can read (JPEG, PNG or WebP).")]}) from exc


def save_image(actor, data: bytes, purpose: str = "photo", entity: str | None = None,
               entity_id: int | None = None, field: str | None = None) -> Upload:
    """Check, re-encode and store an image. Flushes; the caller commits with its record."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    name = field or ("signature" if purpose == "signature" else "photo")
    if not data:
        raise Invalid({name: [_("The file is empty.")]})
    if len(data) > limit:
        raise Invalid({name: [_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024))]})
    try:
        clean, content_type, width, height = _reencode(data, purpose)
    except Invalid as exc:
        raise Invalid({name: next(iter(exc.errors.values()))}) from exc
    key = secrets.token_hex(16) + (".png" if content_type == "image/png" else ".jpg")
    storage().put(key, clean)
    upload = Upload(key=key, content_type=content_type, size=len(clean), width=width, height=height,
                    sha256=hashlib.sha256(clean).hexdigest(), purpose=purpose, entity=entity,
                    entity_id=entity_id, uploaded_by=getattr(actor, "id", None))
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
    check = VISIBILITY.get(upload.entity) if upload is not None else None
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
    app.register_blueprint(bp)
