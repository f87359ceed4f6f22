"""Readings test data: customers with meters, a route for the demo meter reader, a reading history."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from fieldsvc import clock
from fieldsvc.customers import services as customers
from fieldsvc.readings import rules
from fieldsvc.readings.models import Reading
from fieldsvc.readings.services import billing, routes


class World:
    """Builds what a test needs; every object goes through the real services (history rows are inserted)."""

    def __init__(self, db, staff):
        self.db, self.staff = db, staff
        self.chief, self.director = staff["station_chief"], staff["director"]
        self.n = 0
        billing.seed_tariffs()

    def customer(self, category="residential", installed_days_ago=800, size="G2.5", start="0", digits=5):
        self.n += 1
        customer = customers.create_customer(self.director, {
            "account_no": f"9{self.n:07d}", "name": f"用户{self.n}", "category": category, "gas": "NG",
            "district": "D01", "estate": "幸福小区", "building": "1", "unit": "1", "room": f"{self.n:03d}"})
        meter = customers.create_meter(self.director, {
            "serial_no": f"T{self.n:07d}", "size": size, "accuracy_class": "1.5", "kind": "diaphragm",
            "location": "indoor", "customer_id": customer.id, "digits": digits, "start_reading": Decimal(start),
            "installed_on": clock.today() - timedelta(days=installed_days_ago)})
        return customer, meter

    def route(self, meters, reader="meter_reader", name=None):
        route = routes.create_route(self.chief, {"name": name or f"R{self.n}", "district_id": meters[0].customer.district_id,
                                                 "reader_id": self.staff[reader].id})
        routes.add_stops(self.chief, route, [m.serial_no for m in meters])
        return route

    def history(self, meter, per_period, periods=6, days=30, start_value=None, last_days_ago=30, kind="actual"):
        """`periods` readings `days` apart, the last one `last_days_ago` days ago, each using `per_period` m³.
        The meter counts as installed one period before the first of them (when installed earlier), so the
        installation → first reading period (RULES.md §3) is like the others."""
        value = Decimal(start_value if start_value is not None else meter.start_reading)
        first = clock.now() - timedelta(days=last_days_ago + days * (periods - 1))
        self._installed_by(meter, (first - timedelta(days=days)).date())
        rows = []
        for i in range(periods):
            at = first + timedelta(days=days * i)
            use = Decimal(per_period[i] if isinstance(per_period, list | tuple) else per_period)
            value = (value + use) % rules.register_limit(meter.digits)
            rows.append(dict(meter_id=meter.id, customer_id=meter.customer_id, cycle=rules.cycle_of(at.date()),
                             read_at=at, read_on=at.date(), value=value, kind=kind, consumption_m3=use,
                             anomalies="", status="accepted", source="import"))
        self.db.session.execute(insert(Reading), rows)
        self.db.session.flush()
        return value

    def _installed_by(self, meter, day):
        on_file = self.db.session.execute(select(func.min(Reading.read_on)).where(Reading.meter_id == meter.id)
                                          ).scalar()
        if meter.installed_on is not None and meter.installed_on < day and on_file is None:
            meter.installed_on = day
            for row in meter.installations:
                if row.removed_on is None:
                    row.installed_on = day


@pytest.fixture
def world(db, staff):
    w = World(db, staff)
    db.session.commit()
    return w


@pytest.fixture
def english(app):
    from flask_babel import force_locale
    with force_locale("en"):
        yield
