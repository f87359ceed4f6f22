"""A clerk's day at an outlet: cash and electronic takings against sales and reversals, the counted
cash and the difference. The day closes once; afterwards it is read-only and refuses new sales by that
clerk at that outlet on that business date."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from fieldsvc import audit, clock, home
from fieldsvc.auth.models import User
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardDay, CardReversal, CardSale, Outlet
from fieldsvc.cardsales.services import common
from fieldsvc.errors import Conflict, Invalid, NotFound
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can, require


@dataclass
class Day:
    clerk: User
    outlet: Outlet
    business_date: date
    sales: list[CardSale]
    reconciliation: rules.Reconciliation
    closed: CardDay | None
    open_requests: int

    @property
    def may_close(self) -> bool:
        return self.closed is None and not self.reconciliation.unfinished and not self.open_requests


# --- who sees whose sales, receipts and days: one rule ------------------------------------------------

def _sees_all(actor) -> bool:
    """The office roles (director, station chief, statistician: no till of their own) see every clerk's."""
    return not can(actor, P.card_sell)


def outlets_worked(actor):
    """The outlets a clerk works at: those they have sold at (there is no other clerk–outlet link)."""
    return select(CardSale.outlet_id).where(CardSale.clerk_id == actor.id).distinct()


def visible(actor, stmt, clerk_column, outlet_column):
    """THE rule for a clerk's sales, receipts and days, as a filter on `stmt`: a clerk sees their own and
    those of the outlets they work at (their colleagues at that desk); the office roles see every clerk's."""
    if _sees_all(actor):
        return stmt
    return stmt.where(or_(clerk_column == actor.id, outlet_column.in_(outlets_worked(actor))))


def may_see(actor, clerk_id: int, outlet_id: int) -> bool:
    """The same rule for one record (a sale, its receipt, a day) of `clerk_id` at `outlet_id`."""
    if _sees_all(actor) or clerk_id == actor.id:
        return True
    return db.session.execute(select(CardSale.id).where(CardSale.clerk_id == actor.id,
                                                        CardSale.outlet_id == outlet_id).limit(1)).first() is not None


def _figures(sales: list[CardSale]) -> list[rules.SaleFigure]:
    return [rules.SaleFigure(s.payment_method, s.amount_due, s.status, s.kind) for s in sales]


def get_day(actor, clerk_id: int, outlet_id: int, business_date: date) -> Day:
    """The day as it stands; a closed day shows its counted cash and difference."""
    require(actor, P.card_sales_view)
    if not may_see(actor, clerk_id, outlet_id):
        raise NotFound(_("No such day."))
    clerk, outlet = db.session.get(User, clerk_id), db.session.get(Outlet, outlet_id)
    if clerk is None or outlet is None:
        raise NotFound(_("No such day."))
    stmt = (select(CardSale).where(CardSale.clerk_id == clerk_id, CardSale.outlet_id == outlet_id,
                                   CardSale.business_date == business_date).order_by(CardSale.id))
    day_sales = list(db.session.execute(stmt).scalars())
    closed = db.session.execute(select(CardDay).where(CardDay.clerk_id == clerk_id, CardDay.outlet_id == outlet_id,
                                                      CardDay.business_date == business_date)).scalar()
    requests = sum(1 for s in day_sales if s.open_reversal is not None)
    counted = closed.counted_cash if closed else None
    return Day(clerk, outlet, business_date, day_sales, rules.reconcile(_figures(day_sales), counted), closed,
               requests)


def close_day(actor, outlet_id: int, counted_cash: Decimal, note: str | None = None,
              business_date: date | None = None) -> CardDay:
    """The clerk closes today's day at the outlet with the cash counted in the till."""
    require(actor, P.card_sell)
    business_date = business_date or clock.today()
    if business_date > clock.today():
        raise Invalid({"business_date": [_("A day in the future cannot be closed.")]})
    if counted_cash is None or counted_cash < 0:
        raise Invalid({"counted_cash": [_("Enter the cash counted in the till.")]})
    outlet = common.outlet_for(actor, outlet_id)
    day = get_day(actor, actor.id, outlet.id, business_date)
    if day.closed is not None:
        raise Conflict(_("This day is already closed."))
    if day.reconciliation.unfinished:
        raise Conflict(_("%(n)d sales are not finished: confirm or reverse them first.",
                         n=day.reconciliation.unfinished))
    if day.open_requests:
        raise Conflict(_("A reversal is waiting for the station chief's approval: the day closes after it."))
    rec = rules.reconcile(_figures(day.sales), counted_cash)
    record = CardDay(clerk_id=actor.id, outlet_id=outlet.id, business_date=business_date,
                     expected_cash=rec.expected_cash, counted_cash=counted_cash, difference=rec.difference,
                     net_total=rec.totals.net, totals=snapshot(rec), note=(note or None))
    nested = db.session.begin_nested()
    try:
        db.session.add(record)
        db.session.flush()
        nested.commit()
    except IntegrityError as exc:  # closed twice at once: one wins
        nested.rollback()
        raise Conflict(_("This day is already closed.")) from exc
    audit.record(actor, "card_day.close", "card_day", record.id, outlet_id=outlet.id,
                 business_date=business_date, expected_cash=rec.expected_cash, counted_cash=counted_cash,
                 difference=rec.difference, net_total=rec.totals.net)
    return record


def snapshot(rec: rules.Reconciliation) -> dict:
    return {m.method: {"count": m.count, "gross": str(m.gross), "reversed_count": m.reversed_count,
                       "reversed": str(m.reversed), "net": str(m.net)} for m in rec.methods}


def list_days(actor, limit: int = 31) -> list[CardDay]:
    """Closed days, newest first, that the actor may see (`visible`)."""
    require(actor, P.card_sales_view)
    stmt = select(CardDay).order_by(CardDay.business_date.desc(), CardDay.id.desc()).limit(limit)
    return list(db.session.execute(visible(actor, stmt, CardDay.clerk_id, CardDay.outlet_id)).scalars())


def open_days(actor, on: date | None = None, back: int = 31) -> list[tuple[int, int, date]]:
    """(clerk id, outlet id, date) of the days with sales in the last `back` days that are not closed."""
    require(actor, P.card_sales_view)
    on = on or clock.today()
    since = on - timedelta(days=back)
    stmt = visible(actor, select(CardSale.clerk_id, CardSale.outlet_id, CardSale.business_date)
                   .where(CardSale.business_date <= on, CardSale.business_date >= since).distinct(),
                   CardSale.clerk_id, CardSale.outlet_id)
    closed = set(db.session.execute(select(CardDay.clerk_id, CardDay.outlet_id, CardDay.business_date)
                                    .where(CardDay.business_date >= since)).all())
    days = [tuple(row) for row in db.session.execute(stmt)]
    return sorted((d for d in days if d not in closed), key=lambda d: (d[2], d[0], d[1]), reverse=True)


def pending_reversal_figures(actor) -> dict:
    """Reversals waiting for approval, as a count the home page asks with every card's."""
    require(actor, P.card_sales_view)
    stmt = select(func.count(CardReversal.id)).where(CardReversal.status == "requested")
    if not _sees_all(actor):
        stmt = stmt.where(CardReversal.requested_by == actor.id)
    return {"pending": stmt}


def pending_reversal_count(actor) -> int:
    return home.figures_of(pending_reversal_figures(actor))["pending"]


def today_summary(actor) -> dict:
    """For the clerk's home page: today's sales count, net takings, cash expected, unfinished sales and
    whether the day is closed, over the outlets the clerk sold at today."""
    require(actor, P.card_sell)
    today = clock.today()
    stmt = select(CardSale).where(CardSale.clerk_id == actor.id, CardSale.business_date == today)
    today_sales = list(db.session.execute(stmt).scalars())
    rec = rules.reconcile(_figures(today_sales))
    closed = db.session.execute(select(CardDay.id).where(CardDay.clerk_id == actor.id,
                                                         CardDay.business_date == today)).first() is not None
    return {"count": rec.totals.count - rec.totals.reversed_count, "net": rec.totals.net,
            "expected_cash": rec.expected_cash, "electronic": rec.electronic, "unfinished": rec.unfinished,
            "reversed": rec.totals.reversed_count, "closed": closed}
