"""IC-card sales on the customer's page: purchases (and reversals) and card events."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from fieldsvc import labels
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardEvent, CardSale
from fieldsvc.customers.services import TimelineEvent
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can

LIMIT = 24


def customer_events(customer) -> list[TimelineEvent]:
    linked = can(current_user, P.card_sales_view)  # the sale page is the desk's: link only for its users
    events = []
    stmt = select(CardSale).where(CardSale.customer_id == customer.id).order_by(CardSale.id.desc()).limit(LIMIT)
    for s in db.session.execute(stmt).scalars():
        title = (_("Card purchase of %(volume)s m³, %(amount)s yuan", volume=rules.plain(s.volume_m3),
                   amount=s.amount_due) if s.kind == rules.Kind.purchase
                 else _("%(volume)s m³ carried to the new meter", volume=rules.plain(s.volume_m3)))
        detail = f"{s.card_no} · {labels.label(s.status, 'card_sale_status')}"
        events.append(TimelineEvent(s.created_at, "card_sale", title, detail,
                                    url_for("cardsales.sale", sale_id=s.id) if linked else None))
    stmt = select(CardEvent).where(CardEvent.customer_id == customer.id).order_by(CardEvent.id.desc()).limit(LIMIT)
    for e in db.session.execute(stmt).scalars():
        detail = e.data.get("new_card_no") or e.data.get("card_no") or e.data.get("new_meter_serial") or ""
        events.append(TimelineEvent(e.at, "card_event", labels.label(e.kind, "card_event"), detail))
    return events
