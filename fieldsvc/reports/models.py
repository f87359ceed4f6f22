"""The reports domain's one table: figures of closed months kept for the dashboards' 12-month trends.

A row holds one figure set of one closed month for one district (0: the whole company), computed at
`computed_at`. Every app instance reads and writes the same rows, so a multi-instance deployment shares
them. Rows of an older `version` (a figure's definition changed) are ignored; see reports/cache.py for
when a row is used and when it is recomputed.
"""
from datetime import datetime

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fieldsvc.extensions import db
from fieldsvc.models import IdMixin, UTCDateTime, utcnow


class FigureCache(IdMixin, db.Model):
    __tablename__ = "report_figure_cache"

    figure_set: Mapped[str] = mapped_column(String(30))  # "trend"
    version: Mapped[int] = mapped_column(Integer)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM (business calendar)
    district_id: Mapped[int] = mapped_column(Integer, default=0)  # 0: every district together
    payload: Mapped[dict] = mapped_column(JSON)  # plain ints, so it reads back exactly
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("figure_set", "version", "month", "district_id",
                                       name="uq_report_figure_cache_key"),)
