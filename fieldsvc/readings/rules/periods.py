"""A meter's past reading periods from the readings on file (RULES.md §3). Pure: no database, no Flask.

A period runs from one reading to the next. The previous reading of a newly installed meter is its
start reading at its installation date, so the span from installation to the first reading is a
period like any other (zero, spike and drop judge it and later readings). Only a meter with no
installation date opens its history at its first reading: that reading has no period of its own.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from fieldsvc.readings.rules.reading import DatedPeriod, Kind, Period, days_between


@dataclass(frozen=True)
class Mark:
    """A reading on file as the history needs it, or the start reading at the meter's installation."""

    value: Decimal
    at: datetime
    on: date
    kind: str = Kind.actual
    consumption: Decimal = Decimal(0)
    anomalies: tuple[str, ...] = ()


def past_periods(marks: Sequence[Mark], opening: Mark | None = None
                 ) -> tuple[tuple[Period, ...], tuple[DatedPeriod, ...]]:
    """The periods between consecutive marks, most recent first (`marks` newest first), for the checks
    and for the dated estimates. `opening`: the start reading at installation, given when the meter has
    an installation date and `marks` reach back to it; the oldest reading's period then runs from it,
    unless that reading is itself a start reading (a meter change stores one at the installation)."""
    chain = list(marks)
    if opening is not None and chain and chain[-1].kind != Kind.start:
        chain.append(opening)
    periods, dated = [], []
    for newer, older in zip(chain, chain[1:], strict=False):
        periods.append(Period(newer.consumption, days_between(older.at, newer.at), newer.kind, newer.anomalies))
        dated.append(DatedPeriod(older.on, newer.on, newer.consumption, newer.kind, newer.anomalies))
    return tuple(periods), tuple(dated)
