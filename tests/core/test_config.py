"""Settings from the environment; the secret key is generated once and kept."""
from fieldsvc import create_app
from fieldsvc.config import normalise_db_url


def test_postgres_urls_use_psycopg3():
    assert normalise_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_secret_key_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = {"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}"}
    first = create_app(dict(config)).config["SECRET_KEY"]
    second = create_app(dict(config)).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_fieldsvc_env_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("FIELDSVC_TIMEZONE", "Asia/Urumqi")
    monkeypatch.setenv("FIELDSVC_SECURE_COOKIES", "true")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'b.db'}")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["TIMEZONE"] == "Asia/Urumqi"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("b.db")


def test_sqlite_pragmas(app, db):
    with db.engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            return
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
