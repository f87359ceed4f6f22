"""The 80 mm receipt of a sale (PDF), with its tier split. The customer's copy: Chinese wording."""
from flask import current_app
from flask_babel import gettext as _

from fieldsvc import pdf
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardSale
from fieldsvc.cardsales.services import days
from fieldsvc.errors import Conflict, NotFound
from fieldsvc.permissions import P, require

TEMPLATE = "cardsales/pdf/receipt.html"
ORG_NAME = "城市燃气有限公司"
LINE_WIDTH = 40  # half-width characters on one 72 mm line at 8.5 pt (a Chinese character counts 2)


def receipt_pdf(actor, sale: CardSale) -> bytes:
    """Printed once the card is confirmed; a reversed sale prints marked 已冲正 (reversed)."""
    require(actor, P.card_sales_view)
    if not days.may_see(actor, sale.clerk_id, sale.outlet_id):  # one rule: sales, receipts, days
        raise NotFound(_("No such sale."))
    if sale.status in rules.UNFINISHED:
        raise Conflict(_("The receipt is printed once the card write is confirmed."))
    extra = 2 if sale.payment_ref else 0
    if sale.status == rules.Status.reversed:  # the 已冲正 box, then the reason on the full width
        extra += 4 + -(-text_width(sale.reversal_reason or "") // LINE_WIDTH)
    height = rules.receipt_height_mm(len(sale.lines), extra)
    return pdf.render_pdf(TEMPLATE, sale=sale, height_mm=height, used_after=_used_after(sale),
                          org=current_app.config.get("CARDSALES_ORG_NAME", ORG_NAME), m3=rules.plain, yuan=yuan)


def yuan(value) -> str:
    return f"{value:.2f}"


def text_width(text: str) -> int:
    """Printed width in half-width units: CJK and other wide characters take two."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _used_after(sale: CardSale):
    """The cycle's purchased volume after this sale (a reversed sale added nothing)."""
    if sale.status == rules.Status.reversed or sale.kind != rules.Kind.purchase:
        return sale.used_before_m3
    return sale.used_before_m3 + sale.volume_m3
