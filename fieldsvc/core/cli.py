"""flask seed-demo, flask audit verify, flask backup, flask restore."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from fieldsvc import audit, clock
from fieldsvc.core import backup, demo
from fieldsvc.db import refresh_statistics
from fieldsvc.extensions import db


@click.command("seed-demo")
@click.option("--size", type=click.Choice(list(demo.SIZES)), default="small", show_default=True)
@with_appcontext
def seed_demo(size):
    """Load the demo city (re-running adds nothing). Demo password: fieldsvc-demo."""
    added = demo.seed(size, clock.today())
    db.session.commit()
    if any(added.values()):
        refresh_statistics(db.session)
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


@audit_cli.command("export")
@click.option("--to", "target", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")
@with_appcontext
def export(target):
    """Write the whole trail as JSON lines, with each entry's hashes, for an auditor to keep or re-check."""
    count = audit.export_jsonl(target)
    click.echo(f"{count} entries exported", err=True)


@click.command("backup")
@click.option("--to", "target", type=click.Path(dir_okay=False, path_type=Path),
              help="Backup file (default instance/backups/fieldsvc-<timestamp>.<ext>).")
@with_appcontext
def backup_command(target):
    """Back up the database (safe while the app runs)."""
    if target is None:
        ext = "sqlite" if db.engine.dialect.name == "sqlite" else "dump"
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        target = Path(current_app.instance_path) / "backups" / f"fieldsvc-{stamp}.{ext}"
    click.echo(f"backup written to {backup.backup(target)}")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="This replaces every record in the database. Stop the app first. Continue?")
@with_appcontext
def restore_command(source):
    """Restore the database from a backup made by `flask backup`."""
    backup.restore(source)
    click.echo(f"restored from {source}")


def register(app) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(audit_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
