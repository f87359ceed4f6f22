"""flask calendar seed: enter the official holiday schedules (idempotent)."""
import click
from flask.cli import AppGroup

from fieldsvc.calendar import services
from fieldsvc.calendar.schedule import SCHEDULES
from fieldsvc.extensions import db

calendar_cli = AppGroup("calendar", help="The working-day calendar (statutory holidays and make-up working days).")


@calendar_cli.command("seed")
@click.option("--year", "years", type=click.Choice([str(y) for y in sorted(SCHEDULES)]), multiple=True,
              help="Only this year (repeatable); default: every year known.")
def seed(years):
    """Enter the official schedules; dates the office has entered already are left as they are."""
    added = services.seed([int(y) for y in years] or None)
    db.session.commit()
    click.echo(f"calendar days added: {added}")
