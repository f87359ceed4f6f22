"""flask readings import FILE.csv — reading history from the previous system (docs/READINGS.md);
flask readings export CYCLE — the cycle's approved readings and bills as CSV files.

Exit codes of import: 0 every row imported or already present; 1 some rows had errors (the good rows
are imported and committed all the same); 2 nothing done (unreadable file, unknown user, not allowed).
"""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from fieldsvc.auth.models import User
from fieldsvc.customers.importer import read_csv
from fieldsvc.db import refresh_statistics
from fieldsvc.errors import DomainError, Invalid
from fieldsvc.extensions import db
from fieldsvc.readings import exports, importer

readings_cli = click.Group("readings", help="Meter readings: history import, billing export.")


def _actor(username: str | None) -> User:
    stmt = select(User).where(User.active.is_(True))
    stmt = stmt.where(User.username == username.lower()) if username else \
        stmt.where(User.role == "station_chief").order_by(User.id)
    user = db.session.execute(stmt.limit(1)).scalar_one_or_none()
    if user is None:
        raise Invalid({"as": [_("No such user: %(name)s", name=username) if username
                              else _("There is no active station chief: name a user with --as.")]})
    return user


@readings_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--as", "username", help="Run as this user (default: the first active station chief).")
@click.option("--batch-size", type=click.IntRange(100, 50_000), default=5000, show_default=True)
@click.option("--encoding", type=click.Choice(["utf-8", "gb18030"]), default="utf-8", show_default=True)
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), help="Language of the messages.")
@with_appcontext
def import_command(file, username, batch_size, encoding, lang):
    """Import reading history: columns meter_serial, read_at, value[, kind]."""
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            actor = _actor(username)
            rows = read_csv(file.read(), "utf-8-sig" if encoding == "utf-8" else encoding)
            result = importer.import_history(actor, rows, batch_size, source=file.name,
                                             after_batch=db.session.commit)
            refresh_statistics(db.session)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            messages = exc.errors.values() if isinstance(exc, Invalid) else [[exc.message]]
            for message in (m for msgs in messages for m in msgs):
                click.echo(message, err=True)
            raise SystemExit(2) from exc
        for line, message in sorted(result.errors):
            click.echo(_("line %(line)d: %(message)s", line=line, message=message))
        click.echo(_("%(imported)d readings imported, %(present)d already present, %(errors)d errors.",
                     imported=result.imported, present=result.already_present, errors=len(result.errors)))
    raise SystemExit(1 if result.errors else 0)


@readings_cli.command("export")
@click.argument("cycle")
@click.option("--as", "username", help="Run as this user (default: the first active station chief).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True)
@with_appcontext
def export_command(cycle, username, out):
    """Write readings-CYCLE.csv and bills-CYCLE.csv (CYCLE like 2026-11) for the billing system."""
    actor = _actor(username)
    out.mkdir(parents=True, exist_ok=True)
    for name, make in (("readings", exports.readings_csv), ("bills", exports.bills_csv)):
        path = out / f"{name}-{cycle}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            for chunk in make(actor, cycle):
                f.write(chunk)
        click.echo(str(path))
