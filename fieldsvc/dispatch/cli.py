"""`flask dispatch …`: demo data for the board."""
import click
from flask.cli import AppGroup

from fieldsvc.extensions import db

dispatch_cli = AppGroup("dispatch", help="Work orders and dispatch.")


@dispatch_cli.command("seed-demo")
def seed_demo():
    """Demo tools and parts, stock issued to the field crews, and orders in every state (once)."""
    from fieldsvc.dispatch import demo
    added = demo.seed()
    db.session.commit()
    click.echo(f"dispatch demo: {added['items']} catalogue items, {added['orders']} orders added")
