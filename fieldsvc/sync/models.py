from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin


class FormSubmission(IdMixin, TimestampMixin, db.Model):
    """A form post made with a client_id: committed together with what the form created, so a replay
    of the same post (from the phone's outbox) is answered without doing the work twice."""

    __tablename__ = "form_submissions"

    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    endpoint: Mapped[str] = mapped_column(String(80))
    payload_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    location: Mapped[str | None] = mapped_column(String(300))  # where the first post redirected to
