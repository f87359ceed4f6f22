"""The schema changes only through migrations/: upgrading an empty database gives exactly the models."""
import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from fieldsvc import create_app
from fieldsvc.config import normalise_db_url
from fieldsvc.extensions import db
from tests.conftest import make_test_config


@pytest.fixture
def migrated_app(tmp_path):
    """An app on its own empty database (a fresh SQLite file, or a scratch PostgreSQL schema)."""
    url = os.environ.get("TEST_DATABASE_URL")
    schema = None
    if url:
        schema = "migration_check"
        admin = create_engine(normalise_db_url(url))
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        config = make_test_config(url, tmp_path)
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    else:
        config = make_test_config(f"sqlite:///{tmp_path / 'migrated.db'}", tmp_path)
    app = create_app(config)
    yield app
    with app.app_context():
        db.engine.dispose()
    if schema:
        admin = create_engine(normalise_db_url(url))
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def test_upgrade_from_empty_matches_models(migrated_app):
    with migrated_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ — run `flask db migrate`: {diff[:3]} …"


def test_upgrade_then_seed_and_verify(migrated_app):
    from fieldsvc import audit
    from fieldsvc.core import demo
    with migrated_app.app_context():
        upgrade()
        added = demo.seed("small")
        db.session.commit()
        assert added["customers"] == 500
        assert demo.seed("small")["customers"] == 0  # re-running adds nothing
        db.session.commit()
        assert audit.verify() == []
