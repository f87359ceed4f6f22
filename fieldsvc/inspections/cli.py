"""flask inspections …: the periodic job that reads order progress and escalates overdue hazards."""
import click
from flask.cli import AppGroup

from fieldsvc.extensions import db

inspections_cli = AppGroup("inspections", help="Household safety inspections and hazards.")


@inspections_cli.command("refresh-hazards")
def refresh_hazards():
    """Bring every open hazard in line with its rectification order; escalate the overdue ones.

    Run it from cron (e.g. every 15 minutes): lists do it too, but escalation should not wait
    for someone to open one.
    """
    from fieldsvc.inspections.services import hazards
    changed = hazards.refresh()
    db.session.commit()
    click.echo(f"{changed} hazard changes")


@inspections_cli.command("seed-checklist")
def seed_checklist():
    """Write the first checklist version when none exists (it is also written on first use)."""
    from fieldsvc.inspections.services import checklist
    version = checklist.ensure_default()
    db.session.commit()
    click.echo(f"checklist version {version.number}: {len(version.items)} items")
