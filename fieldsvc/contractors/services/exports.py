"""The contractor register and the permits as workbooks (fieldsvc.exports.Xlsx: text stays text)."""
from flask_babel import gettext as _

from fieldsvc import clock, exports
from fieldsvc.contractors.services import permits, register
from fieldsvc.labels import label

ALL = 10_000


def contractors_xlsx(actor, q: str | None = None) -> bytes:
    items, _total = register.list_contractors(actor, q, retired=True, per_page=ALL)
    today = clock.today()
    book = exports.Xlsx(_("Contractors"))
    book.row([_("Contractors"), today.isoformat()], bold=True)
    book.row([_("Name"), _("Licence no."), _("Licence expires on"), _("Licence"), _("Scope"), _("Contact"),
              _("Phone"), _("Supervisors"), _("In the register")], bold=True, fill="FFEEF1F5", wrap=True)
    for c in items:
        state = register.licence(c, today)
        row = book.row([c.name, c.licence_no, c.licence_expires_on, label(state, "licence_state"), c.scope,
                        c.contact_name, c.contact_phone, ", ".join(s.user.name for s in c.supervisors),
                        _("Yes") if c.active else _("No")])
        if state == "expired":
            book.fill(row, 4, "FFF4B6B0")
    for column, width in enumerate((28, 18, 14, 14, 40, 12, 14, 24, 10), start=1):
        book.width(column, width)
    book.freeze("B3")
    return book.bytes()


def permits_xlsx(actor, q: str | None = None, status: str | None = None) -> bytes:
    items, _total = permits.list_permits(actor, q, status, per_page=ALL)
    book = exports.Xlsx(_("Permits"))
    book.row([_("Permits for work on customer premises"), clock.today().isoformat()], bold=True)
    book.row([_("Number"), _("Contractor"), _("Address"), _("District"), _("Work"), _("Valid from"),
              _("Valid to"), _("Supervisor"), _("Issued by"), _("Status")], bold=True, fill="FFEEF1F5", wrap=True)
    for p in items:
        book.row([p.number, p.contractor.name, p.address, p.district.name if p.district else "", p.work,
                  p.valid_from, p.valid_to, p.supervisor.name if p.supervisor else "",
                  p.issuer.name if p.issuer else "", label(p.status, "permit_status")])
    for column, width in enumerate((14, 24, 32, 10, 32, 12, 12, 12, 12, 10), start=1):
        book.width(column, width)
    book.freeze("B3")
    return book.bytes()
