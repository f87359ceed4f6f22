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


audit_cli = click.Group("audit", help="The tamper-evident audit trail (docs/SECURITY.md).")


@audit_cli.command("verify")
@with_appcontext
def verify():
    """Check the keyed hash chain and compare it with the latest checkpoint; exit 1 and list every problem."""
    problems = audit.verify_chain()
    checkpoint_problems, point = audit.check_checkpoint()
    problems += checkpoint_problems
    for p in problems:
        click.echo(p)
    if point is None:
        click.echo(f"no checkpoint in {audit.checkpoint_path()}: entries cut off the end would go unnoticed "
                   "(run `flask audit checkpoint` from cron)", err=True)
    else:
        click.echo(f"checked against the checkpoint of {point['at']}: {point['count']} entries up to "
                   f"entry {point['last_id']}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo("audit trail intact")


@audit_cli.command("checkpoint")
@click.option("--syslog", "to_syslog", is_flag=True, help="Also send the checkpoint to syslog (authpriv).")
@click.option("--note", help="Why this checkpoint (e.g. 'after restore of 2026-11-30').")
@click.option("--force", is_flag=True,
              help="Write it even though the chain does not verify (after a restore that lost entries).")
@with_appcontext
def checkpoint(to_syslog, note, force):
    """Append the chain's head (count, last id, hash) to the checkpoint file outside the database. Cron."""
    try:
        point = audit.checkpoint(note=note, force=force, to_syslog=to_syslog)
    except audit.ChainBroken as exc:
        for p in exc.problems:
            click.echo(p)
        click.echo("no checkpoint written: the trail does not verify (see above; --force to anchor it anyway)")
        raise SystemExit(1) from None
    click.echo(f"checkpoint: {point['count']} entries up to entry {point['last_id']} -> {audit.checkpoint_path()}")


@audit_cli.command("rekey")
@click.option("--old-key", envvar="FIELDSVC_AUDIT_OLD_KEY", help="The previous AUDIT_KEY, when changing it.")
@click.option("--old-secret-key", envvar="FIELDSVC_AUDIT_OLD_SECRET_KEY",
              help="The previous SECRET_KEY, when the old audit key was derived from it (no AUDIT_KEY set).")
@click.confirmation_option(prompt="Re-sign every audit entry under the current key?")
@with_appcontext
def rekey(old_key, old_secret_key):
    """Re-sign the chain under the current key, once: after upgrading from the unkeyed chain, or after
    changing AUDIT_KEY / SECRET_KEY. Verifies every entry first; writes a new checkpoint after."""
    previous = None
    if old_secret_key:
        previous = audit.key_from_secret_key(old_secret_key)
    elif old_key:
        previous = audit.key_from_setting(old_key)
    try:
        count = audit.rekey(previous)
    except audit.ChainBroken as exc:
        db.session.rollback()
        for p in exc.problems:
            click.echo(p)
        click.echo("nothing re-signed: the trail does not verify under the unkeyed hash, the old key or this one")
        raise SystemExit(1) from None
    db.session.commit()
    point = audit.checkpoint(note="rekey", force=True, rekeyed=True)
    click.echo(f"{count} entries re-signed; checkpoint: {point['count']} entries up to entry {point['last_id']}")


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
