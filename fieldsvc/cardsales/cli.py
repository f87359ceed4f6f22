"""flask cardsales …: sales outlets (the counters a clerk's day is reconciled at)."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from fieldsvc import audit
from fieldsvc.cardsales.models import Outlet
from fieldsvc.customers.models import District
from fieldsvc.extensions import db


@click.group("cardsales")
def cardsales_cli():
    """IC-card gas sales."""


@cardsales_cli.command("add-outlet")
@click.argument("code")
@click.argument("name")
@click.option("--district", help="district code or name")
@with_appcontext
def add_outlet(code, name, district):
    """Add a sales outlet (营业网点)."""
    if db.session.execute(select(Outlet.id).where((Outlet.code == code) | (Outlet.name == name))).first():
        raise click.ClickException(f"an outlet with code {code} or name {name} exists")
    district_id = None
    if district:
        district_id = db.session.execute(select(District.id).where(
            (District.code == district) | (District.name == district))).scalar()
        if district_id is None:
            raise click.ClickException(f"unknown district {district}")
    outlet = Outlet(code=code, name=name, district_id=district_id, active=True)
    db.session.add(outlet)
    db.session.flush()
    audit.record(None, "card_outlet.create", "card_outlet", outlet.id, code=code, name=name)
    db.session.commit()
    click.echo(f"outlet {code} {name} added")


@cardsales_cli.command("outlets")
@with_appcontext
def list_outlets():
    """List the sales outlets."""
    for outlet in db.session.execute(select(Outlet).order_by(Outlet.code)).scalars():
        click.echo(f"{outlet.code}\t{outlet.name}\t{'active' if outlet.active else 'inactive'}")
