"""The emergency plans (with their call lists) and the drills as workbooks (fieldsvc.exports.Xlsx)."""
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc import clock, exports
from fieldsvc.extensions import db
from fieldsvc.labels import label
from fieldsvc.management.models import EmergencyDrill
from fieldsvc.management.services import drills, emergency_plans
from fieldsvc.permissions import P, require

ALL = 10_000


def plans_xlsx(actor) -> bytes:
    items, _total = emergency_plans.list_plans(actor, per_page=ALL)
    book = exports.Xlsx(_("Emergency plans"))
    book.row([_("Emergency plans"), clock.today().isoformat()], bold=True)
    book.row([_("Scenario"), _("Title"), _("Review on"), _("Review"), _("Call list"), _("Scope"), _("Response")],
             bold=True, fill="FFEEF1F5", wrap=True)
    for p in items:
        calls = "\n".join(f"{c['name']} {c['phone'] or ''}{' · ' + c['duty'] if c['duty'] else ''}"
                          for c in emergency_plans.call_list(p))
        book.row([label(p.scenario, "emergency_scenario"), p.title, p.review_on,
                  label(emergency_plans.review(p), "eplan_review"), calls, p.scope, p.response], wrap=True)
    for column, width in enumerate((16, 28, 12, 14, 36, 30, 50), start=1):
        book.width(column, width)
    book.freeze("B3")
    return book.bytes()


def drills_xlsx(actor) -> bytes:
    require(actor, P.emergency_plans_view)
    rows = db.session.execute(select(EmergencyDrill).order_by(EmergencyDrill.held_on.desc())).scalars()
    book = exports.Xlsx(_("Emergency drills"))
    book.row([_("Emergency drills"), clock.today().isoformat()], bold=True)
    book.row([_("Held on"), _("Plan"), _("District"), _("Started"), _("Ended"), _("Duration (min)"),
              _("Response time (min)"), _("Participants"), _("Evaluation"), _("Actions")],
             bold=True, fill="FFEEF1F5", wrap=True)
    for d in rows:
        people = ", ".join(p.user.name for p in d.participants)
        if d.outside_participants:
            people = f"{people}; {d.outside_participants}"
        book.row([d.held_on, d.plan.title, d.district.name if d.district else _("Department"), d.started_at,
                  d.ended_at, drills.duration(d), d.response_minutes, people, d.evaluation,
                  "\n".join(a.description for a in d.actions)], wrap=True)
    for column, width in enumerate((12, 28, 12, 16, 16, 10, 10, 30, 40, 40), start=1):
        book.width(column, width)
    book.freeze("B3")
    return book.bytes()
