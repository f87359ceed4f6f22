"""What the HSE overview and a person's own safety page show."""
from datetime import date

from sqlalchemy import func, select

from fieldsvc import home
from fieldsvc.extensions import db
from fieldsvc.hse import rules
from fieldsvc.hse.models import HseAspect, HseHazard, HseObservation, NcAction, Nonconformity
from fieldsvc.hse.services import capa, observations, programme, registers, training
from fieldsvc.permissions import P, can, require


def overview(actor, today: date) -> dict:
    """Register figures, reminders, open items and the field feed (for everyone with hse_view;
    the review queue and the training gaps only for the safety office)."""
    require(actor, P.hse_view)
    grades = dict(db.session.execute(select(HseHazard.grade, func.count()).where(HseHazard.status == "active")
                                      .group_by(HseHazard.grade)).all())
    nc_states = dict(db.session.execute(select(Nonconformity.status, func.count())
                                        .group_by(Nonconformity.status)).all())
    summary = {
        "grades": {g: grades.get(g, 0) for g in range(1, 6)},
        "significant_hazards": _count(HseHazard, HseHazard.significant.is_(True)),
        "aspects": _count(HseAspect),
        "significant_aspects": _count(HseAspect, HseAspect.significant.is_(True)),
        "reviews": registers.review_reminders(actor, today),
        "nc_states": {s: nc_states.get(s, 0) for s in rules.NC_STATES},
        "nc_open": sum(nc_states.get(s, 0) for s in rules.NC_OPEN),
        "fed": capa.list_ncs(actor, open_only=True, fed_only=True, per_page=20)[0],
        "objectives": [(o, *programme.progress(o)) for o in programme.list_objectives(actor, today.year)
                       if o.status == "active"],
    }
    if can(actor, P.hse_manage):
        summary["observations_open"] = db.session.execute(
            select(func.count(HseObservation.id)).where(HseObservation.status == "open")).scalar_one()
        summary["training_gaps"] = training.due_count(actor, today)
    return summary


def _count(model, *where) -> int:
    return db.session.execute(select(func.count(model.id)).where(model.status == "active", *where)).scalar_one()


def mine(actor, today: date) -> dict:
    """A person's own safety page: their reports, their open actions, their training status."""
    require(actor, P.hse_report)
    return {
        "observations": observations.list_observations(actor, status=None, per_page=10)[0],
        "actions": capa.my_open_actions(actor),
        "training": training.my_status(actor, today),
        "objectives": [(o, *programme.progress(o)) for o in programme.list_objectives(actor, today.year)
                       if o.owner_id == actor.id and o.status == "active"],
    }


def home_figure_queries(actor, today: date) -> dict:
    """The few HSE numbers a home page shows (safety officer, director), what needs doing now, as scalar
    SELECTs: the home page asks them with every other card's (fieldsvc/home.py)."""
    require(actor, P.hse_view)

    def count(model, *where):
        return select(func.count(model.id)).where(*where)

    def review_due(model):
        return count(model, model.status == "active", model.review_on <= registers.rules_warn(today))
    nc_open = Nonconformity.status.in_(rules.NC_OPEN)
    figures = {
        "significant_hazards": count(HseHazard, HseHazard.status == "active", HseHazard.significant.is_(True)),
        "reviews_due": review_due(HseHazard).scalar_subquery() + review_due(HseAspect).scalar_subquery(),
        "nc_open": count(Nonconformity, nc_open),
        "actions_mine": count(NcAction, NcAction.owner_id == actor.id, NcAction.done_on.is_(None),
                              NcAction.nonconformity_id.in_(select(Nonconformity.id).where(nc_open))),
    }
    if can(actor, P.hse_manage):
        figures["observations_open"] = count(HseObservation, HseObservation.status == "open")
        figures["fed_open"] = count(Nonconformity, nc_open, *capa.FED)
    if can(actor, P.nonconformity_approve):
        figures["to_approve"] = count(Nonconformity, Nonconformity.status == "effectiveness_check",
                                      Nonconformity.effective.is_(True))
    return figures


def home_figures(actor, today: date) -> dict:
    """home_figure_queries' values."""
    return home.figures_of(home_figure_queries(actor, today))
