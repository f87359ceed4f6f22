"""What the offline browser tests need on a server: a reader's route with history, and the phone's caches."""
import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.customers import services as customers
from fieldsvc.extensions import db
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading
from fieldsvc.readings.services import billing, routes


def make_route(app, reader: str, stops: int) -> tuple[int, list[Decimal]]:
    """A route of `reader` with `stops` meters, each with 6 months of 30 m³ readings; → (id, last values)."""
    tag = uuid.uuid4().hex[:6].upper()
    with app.app_context():
        billing.seed_tariffs()
        users = {u.username: u for u in db.session.execute(select(User)).scalars()}
        meters, lasts = [], []
        for i in range(stops):
            customer = customers.create_customer(users["director"], {
                "account_no": f"O{tag}{i:02d}", "name": f"离线{i}", "category": "residential", "gas": "NG",
                "district": "D03", "estate": "离线花园", "building": "2", "unit": "1", "room": f"{i + 101}"})
            # Installed one period before the history starts, at its first value (RULES.md §3: the span from
            # installation to the first reading is a period like any other).
            meter = customers.create_meter(users["director"], {
                "serial_no": f"OF{tag}{i:02d}", "size": "G2.5", "accuracy_class": "1.5", "kind": "diaphragm",
                "location": "indoor", "customer_id": customer.id, "start_reading": Decimal(2000),
                "installed_on": clock.today() - timedelta(days=30 * 7 + 2)})
            rows, value = [], Decimal(2000)
            for k in range(6):
                at = clock.now() - timedelta(days=30 * (6 - k) + 2)
                value += 30
                rows.append(dict(meter_id=meter.id, customer_id=customer.id, cycle=rules.cycle_of(at.date()),
                                 read_at=at, read_on=at.date(), value=value, kind="actual", consumption_m3=Decimal(30),
                                 anomalies="", status="accepted", source="import"))
            db.session.execute(insert(Reading), rows)
            meters.append(meter)
            lasts.append(value)
        route = routes.create_route(users["station_chief"], {
            "name": f"离线册{tag}", "district_id": meters[0].customer.district_id, "reader_id": users[reader].id})
        routes.add_stops(users["station_chief"], route, [m.serial_no for m in meters])
        db.session.commit()
        route_id = route.id
        db.session.remove()
        return route_id, lasts


def field_readings(app, route_id) -> list[Reading]:
    """The readings the route's reader sent from the field, oldest first (detached copies)."""
    with app.app_context():
        rows = db.session.execute(select(Reading).where(Reading.route_id == route_id, Reading.source == "field")
                                  .order_by(Reading.id)).scalars().all()
        db.session.expunge_all()
        db.session.remove()
        return rows


def field_reading_count(app, route_id) -> int:
    with app.app_context():
        count = db.session.execute(select(func.count(Reading.id)).where(
            Reading.route_id == route_id, Reading.source == "field")).scalar_one()
        db.session.remove()
        return count


def cached_pages(page, fragment: str) -> int:
    """How many pages whose address contains `fragment` the service worker keeps for use without signal."""
    return page.evaluate("""async (fragment) => {
        let n = 0;
        for (const key of await caches.keys()) {
            if (!key.startsWith('pages-')) continue;
            const cache = await caches.open(key);
            n += (await cache.keys()).filter((r) => r.url.includes(fragment)).length;
        }
        return n;
    }""", fragment)


def wait_for_cached(page, fragment: str, count: int, tries: int = 100) -> int:
    for _ in range(tries):
        n = cached_pages(page, fragment)
        if n >= count:
            return n
        page.wait_for_timeout(200)
    return cached_pages(page, fragment)


def start_controlled(page, base_url, log_in, username):
    """Log in and reload once, so the service worker controls the page from here on."""
    log_in(page, base_url, username)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()


def outbox_settled(page) -> dict:
    """Ask the worker to send what waits and wait until that try is over (app.js's idle signal, not a sleep);
    → {"count", "pending"} of what is still on the phone. Checks for duplicates come after this."""
    return page.evaluate("window.fieldsvcOutbox.settled()")
