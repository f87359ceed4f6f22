"""The change requests as a workbook (XLSX), through the one export writer."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fieldsvc import exports
from fieldsvc.customers.services import changes
from fieldsvc.labels import label

COLUMNS = (_l("No."), _l("Requested"), _l("Kind"), _l("Status"), _l("Account no."), _l("Customer"),
           _l("District"), _l("New name"), _l("New phone"), _l("Final reading (m³)"), _l("Reason for closing"),
           _l("New category"), _l("Effective from"), _l("Note"), _l("Requested by"), _l("Decided by"),
           _l("Decided"), _l("Reason for rejection"))


def _name(user) -> str | None:
    return user.name if user is not None else None


def row(c) -> list:
    return [c.id, c.requested_at, label(c.kind, "customer_change_kind"), label(c.status, "customer_change_status"),
            c.customer.account_no, (c.before or {}).get("name") or c.customer.name, c.customer.district.name,
            c.new_name, c.new_phone, c.final_reading, c.close_reason,
            label(c.new_category, "category") if c.new_category else None, c.effective_on, c.note,
            _name(c.requested_by), _name(c.decided_by), c.decided_at, c.reject_reason]


def workbook(actor, q: str | None = None, status: str | None = None, kind: str | None = None) -> bytes:
    """Every request the actor sees matching the list's filters, oldest first."""
    items = changes.all_changes(actor, q, status, kind)
    book = exports.Xlsx(_("Customer change requests"))
    book.row([str(c) for c in COLUMNS], bold=True, fill="FFEEF1F5", wrap=True)
    for c in items:
        book.row(row(c))
    for column, width in ((2, 18), (6, 16), (8, 16), (11, 30), (14, 30), (18, 30)):
        book.width(column, width)
    book.freeze("B2")
    return book.bytes()
