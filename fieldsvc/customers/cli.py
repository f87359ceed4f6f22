"""flask customers import FILE.csv — load the office's customer register (format: docs/IMPORT.md).

Exit codes: 0 every row imported or already present; 1 some rows had errors (the good rows are imported
and committed all the same, so fix the listed lines and run it again: what is there is skipped);
2 nothing done (unreadable file, unknown user, not allowed).
"""
import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fieldsvc.auth.models import User
from fieldsvc.customers import importer
from fieldsvc.db import refresh_statistics
from fieldsvc.errors import DomainError, Invalid
from fieldsvc.extensions import db
from fieldsvc.permissions import Role

customers_cli = click.Group("customers", help="Customer registry commands.")
ENCODINGS = {"utf-8": "utf-8-sig", "gb18030": "gb18030"}  # utf-8-sig reads UTF-8 with or without BOM


@customers_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--as", "username", help="Run as this user (default: the first active director).")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=1000, show_default=True,
              help="Rows per INSERT, audit entry and commit.")
@click.option("--encoding", type=click.Choice(list(ENCODINGS)), default="utf-8", show_default=True,
              help="gb18030 for files saved by Excel as plain \"CSV\" on a Chinese Windows.")
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), help="Language of the messages.")
@with_appcontext
def import_command(file, username, dry_run, batch_size, encoding, lang):
    """Import customers (and their meters) from a CSV file; existing account numbers are skipped."""
    # No request here to pick a language from: use the option or the app's default.
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        code = _run(file, username, dry_run, batch_size, ENCODINGS[encoding])
    raise SystemExit(code)


def _run(file, username, dry_run, batch_size, encoding) -> int:
    try:
        actor = _actor(username)
        rows = importer.read_csv(file.read(), encoding)
        # Committing per batch means a crash or Ctrl-C keeps every batch done; a re-run skips them.
        result = importer.import_customers(actor, rows, batch_size, dry_run=dry_run, source=file.name,
                                           after_batch=None if dry_run else db.session.commit)
    except DomainError as exc:
        db.session.rollback()
        messages = exc.errors.values() if isinstance(exc, Invalid) else [[exc.message]]
        for message in (m for msgs in messages for m in msgs):
            click.echo(message, err=True)
        return 2
    except IntegrityError:
        # Someone added the same account or serial between our check and the INSERT of a batch.
        db.session.rollback()
        click.echo(_("An account or meter in the file was added by someone else during the import. "
                     "The batches already done are kept: run the import again."), err=True)
        return 2
    if dry_run:
        db.session.rollback()
    else:
        refresh_statistics(db.session)
        db.session.commit()
    _report(result)
    return 1 if result.errors else 0


def _actor(username: str | None) -> User:
    stmt = select(User)
    if username:
        stmt = stmt.where(User.username == username.lower())
    else:
        stmt = stmt.where(User.role == Role.director.value, User.active.is_(True)).order_by(User.id)
    user = db.session.execute(stmt.limit(1)).scalar_one_or_none()
    if user is None:
        raise Invalid({"as": [_("No such user: %(name)s", name=username) if username
                              else _("There is no active director: name a user with --as.")]})
    return user


def _report(result: importer.ImportResult) -> None:
    for line, column, message in result.errors:
        # Name the column as the file does (户号 or account_no), so the office finds the cell.
        heading = result.headings.get(column, column)
        click.echo(_("line %(line)d: %(column)s: %(message)s", line=line, column=heading, message=message))
    if result.ignored_columns:
        click.echo(_("Ignored columns: %(names)s", names=", ".join(result.ignored_columns)))
    counts = dict(imported=result.imported, meters=result.meters, present=result.already_present,
                  errors=result.error_lines)
    if result.dry_run:
        click.echo(_("Dry run: %(imported)d customers would be imported (%(meters)d with a meter), "
                     "%(present)d already present, %(errors)d rows with errors. Nothing was written.", **counts))
    else:
        click.echo(_("%(imported)d customers imported (%(meters)d with a meter), %(present)d already present, "
                     "%(errors)d rows with errors.", **counts))
