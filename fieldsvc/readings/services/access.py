"""Who may see which route, meter and customer. Object rules answer 404 (no existence leak).

A role with `routes_view` (chief, director, statistician) sees every route; a meter reader sees the
routes assigned to them and, through them, the meters and customers on those routes.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc.customers.models import Meter
from fieldsvc.errors import NotFound
from fieldsvc.extensions import db
from fieldsvc.permissions import P, can
from fieldsvc.readings.models import Route, RouteStop


def sees_all(actor) -> bool:
    return can(actor, P.routes_view)


def route_visible(actor, route: Route) -> bool:
    return sees_all(actor) or (route.reader_id == actor.id and route.active)


def meter_route(meter_id: int) -> Route | None:
    stmt = select(Route).join(RouteStop, RouteStop.route_id == Route.id).where(RouteStop.meter_id == meter_id)
    return db.session.execute(stmt).scalar_one_or_none()


def meter_visible(actor, meter_id: int) -> bool:
    if sees_all(actor):
        return True
    route = meter_route(meter_id)
    return route is not None and route.reader_id == actor.id and route.active


def customer_visible(actor, customer_id: int) -> bool:
    """A reader sees the customers whose installed meter is on one of their routes."""
    if sees_all(actor):
        return True
    stmt = (select(Meter.id).join(RouteStop, RouteStop.meter_id == Meter.id)
            .join(Route, Route.id == RouteStop.route_id)
            .where(Meter.customer_id == customer_id, Route.reader_id == actor.id, Route.active.is_(True)))
    return db.session.execute(stmt.limit(1)).first() is not None


def visible_meter(actor, meter_id: int) -> Meter:
    meter = db.session.get(Meter, meter_id)
    if meter is None or not meter_visible(actor, meter_id):
        raise NotFound(_("No such meter on your routes."))
    return meter


def own_customer_ids_select(actor):
    """SELECT of the customer ids a reader may see (for filters)."""
    return (select(Meter.customer_id).join(RouteStop, RouteStop.meter_id == Meter.id)
            .join(Route, Route.id == RouteStop.route_id)
            .where(Route.reader_id == actor.id, Route.active.is_(True), Meter.customer_id.is_not(None)))
