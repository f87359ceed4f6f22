"""flask users create|set-role|deactivate|activate|list|prune-logins — for whoever runs the server."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from fieldsvc.auth import services
from fieldsvc.auth.models import User
from fieldsvc.errors import Invalid
from fieldsvc.extensions import db
from fieldsvc.models import utcnow
from fieldsvc.permissions import Role

users_cli = click.Group("users", help="Manage staff accounts.")
ROLE_CHOICE = click.Choice([r.value for r in Role])


def _user(username: str) -> User:
    user = db.session.execute(select(User).where(User.username == username.lower())).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user


@users_cli.command("create")
@click.argument("username")
@click.option("--name", required=True, help="Full name shown in the app.")
@click.option("--role", type=ROLE_CHOICE, required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--phone")
@with_appcontext
def create(username, name, role, password, phone):
    """Create a staff account."""
    try:
        user = services.create_user(None, {"username": username, "name": name, "role": role,
                                           "password": password, "phone": phone})
    except Invalid as exc:
        raise click.ClickException("; ".join(m for msgs in exc.errors.values() for m in msgs)) from exc
    db.session.commit()
    click.echo(f"created {user.username} ({user.role})")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=ROLE_CHOICE)
@with_appcontext
def set_role(username, role):
    """Change a user's role (ends their sessions)."""
    user = _user(username)
    services.set_role(None, user, role)
    db.session.commit()
    click.echo(f"{user.username} is now {role}")


@users_cli.command("deactivate")
@click.argument("username")
@with_appcontext
def deactivate(username):
    """Block a user from logging in; their records stay."""
    services.set_active(None, _user(username), False)
    db.session.commit()
    click.echo(f"{username} deactivated")


@users_cli.command("activate")
@click.argument("username")
@with_appcontext
def activate(username):
    services.set_active(None, _user(username), True)
    db.session.commit()
    click.echo(f"{username} activated")


@users_cli.command("list")
@with_appcontext
def list_users():
    for user in db.session.execute(select(User).order_by(User.role, User.username)).scalars():
        click.echo(f"{user.username:20} {user.role:15} {'active' if user.active else 'inactive':8} {user.name}")


@users_cli.command("prune-logins")
@click.option("--keep-ended-days", type=click.IntRange(min=0), default=30, show_default=True)
@with_appcontext
def prune_logins(keep_ended_days):
    """Delete old login records (logged out long ago, or older than any cookie). Run it from cron."""
    removed = services.prune_logins(utcnow(), keep_ended_days)
    db.session.commit()
    click.echo(f"removed {removed} login records")
