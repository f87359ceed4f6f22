from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, TimestampMixin, UTCDateTime, utcnow


class User(IdMixin, TimestampMixin, UserMixin, db.Model):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(20), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    locale: Mapped[str | None] = mapped_column(String(10))  # None: follow the browser
    # Role requirements (fieldsvc/staffing): schooling (staffing.rules.Education) and since when in the trade.
    education: Mapped[str | None] = mapped_column(String(20))
    experience_since: Mapped[date | None] = mapped_column(Date)
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Rotating this cuts every session and remember-me cookie of the user (lost phone, deactivation).
    session_token: Mapped[str] = mapped_column(String(32))

    district = relationship("District", lazy="joined")
    qualifications: Mapped[list["Qualification"]] = relationship(
        back_populates="user", order_by="Qualification.expires_on", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return self.active

    # The login this request belongs to (a LoginSession key), set when logging in or loading the session user.
    login_key = None  # str | None; not a column

    def get_id(self) -> str:
        """What the session and remember-me cookies carry: the user, their token, and this login's key."""
        base = f"{self.id}:{self.session_token}"
        return f"{base}:{self.login_key}" if self.login_key else base

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginSession(IdMixin, db.Model):
    """One login on one device. Logging out ends it on the server, so a copy of that device's session or
    remember-me cookie stops working too (a signed cookie alone would stay valid until it expires)."""

    __tablename__ = "login_sessions"

    key: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Qualification(IdMixin, TimestampMixin, db.Model):
    """A certificate or licence on file: service cert levels, metrology licence, internal auditor…"""

    __tablename__ = "qualifications"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(60))
    issuer: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)

    user: Mapped[User] = relationship(back_populates="qualifications")


class ApiToken(IdMixin, db.Model):
    """Bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
