"""Backups: SQLite's online backup API (consistent while the app runs), pg_dump on PostgreSQL."""
import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from fieldsvc.extensions import db


def _pg_args(url) -> tuple[list[str], dict]:
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return args, env


def backup(target: Path) -> Path:
    """Write a consistent copy of the database to `target` (a .sqlite file or a pg_dump custom archive)."""
    url = make_url(str(db.engine.url))
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
    else:
        args, env = _pg_args(url)
        subprocess.run(["pg_dump", *args, "-Fc", "-f", str(target), url.database], check=True, env=env)
    return target


def restore(source: Path) -> None:
    """Replace the database's contents with a backup. Run with the app stopped."""
    url = make_url(str(db.engine.url))
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        src = sqlite3.connect(source)
        dest = sqlite3.connect(url.database)
        try:
            src.backup(dest)
        finally:
            dest.close()
            src.close()
    else:
        args, env = _pg_args(url)
        subprocess.run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "-d", url.database,
                        str(source)], check=True, env=env)
