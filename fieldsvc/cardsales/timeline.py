"""IC-card sales on the customer's page: purchases (and reversals) and card events, the latest of each."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from fieldsvc import labels
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardEvent, CardSale
from fieldsvc.customers.services import TimelineEvent, TimelineSource
from fieldsvc.customers.services.timeline import data_of, line, scaled
from fieldsvc.permissions import P, can

LIMIT = 24


def _sales(customer_id):
    return (select(*line(at=CardSale.created_at, ref=CardSale.id,
                         s=(CardSale.kind, CardSale.card_no, CardSale.status),
                         n=(CardSale.volume_m3, CardSale.amount_due)))
            .where(CardSale.customer_id == customer_id).order_by(CardSale.id.desc()).limit(LIMIT))


def _sale_events(row):
    linked = can(current_user, P.card_sales_view)  # the sale page is the desk's: link only for its users
    volume = rules.plain(scaled(row.n1, 3))
    title = (_("Card purchase of %(volume)s m³, %(amount)s yuan", volume=volume, amount=scaled(row.n2, 2))
             if row.s1 == rules.Kind.purchase else _("%(volume)s m³ carried to the new meter", volume=volume))
    detail = f"{row.s2} · {labels.label(row.s3, 'card_sale_status')}"
    yield TimelineEvent(row.at, "card_sale", title, detail, url_for("cardsales.sale", sale_id=row.ref) if linked else None)


def _card_events(customer_id):
    return (select(*line(at=CardEvent.at, s=(CardEvent.kind,), data=CardEvent.data))
            .where(CardEvent.customer_id == customer_id).order_by(CardEvent.id.desc()).limit(LIMIT))


def _card_event_events(row):
    data = data_of(row)
    detail = data.get("new_card_no") or data.get("card_no") or data.get("new_meter_serial") or ""
    yield TimelineEvent(row.at, "card_event", labels.label(row.s1, "card_event"), detail)


SOURCES = [TimelineSource("card_sale", _sales, _sale_events),
           TimelineSource("card_event", _card_events, _card_event_events)]
