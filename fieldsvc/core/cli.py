"""flask seed-demo, flask audit verify."""
import click
from flask.cli import with_appcontext

from fieldsvc import audit, clock
from fieldsvc.core import demo
from fieldsvc.extensions import db


@click.command("seed-demo")
@click.option("--size", type=click.Choice(list(demo.SIZES)), default="small", show_default=True)
@with_appcontext
def seed_demo(size):
    """Load the demo city (re-running adds nothing). Demo password: fieldsvc-demo."""
    added = demo.seed(size, clock.today())
    db.session.commit()
    click.echo("added: " + ", ".join(f"{k} {v}" for k, v in added.items()))


audit_cli = click.Group("audit", help="The tamper-evident audit trail.")


@audit_cli.command("verify")
@with_appcontext
def verify():
    """Check the hash chain; exit 1 and list every break."""
    problems = audit.verify()
    for p in problems:
        click.echo(p)
    if problems:
        raise SystemExit(1)
    click.echo("audit trail intact")


def register(app) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(audit_cli)
