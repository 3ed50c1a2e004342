"""Configuration comes from the environment; production refuses to start without a secret."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_production_refuses_to_start_without_secret_key():
    result = run_check(DJANGO_SETTINGS_MODULE="config.settings.prod")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_production_starts_with_secret_key():
    result = run_check(
        DJANGO_SETTINGS_MODULE="config.settings.prod", SECRET_KEY="x" * 60, ALLOWED_HOSTS="a.test"
    )
    assert result.returncode == 0, result.stderr


def test_settings_database_url_selects_postgresql_through_psycopg():
    config = dj_database_url.parse("postgres://tracker:pw@db.internal:5432/tracker")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["NAME"], config["USER"]) == ("db.internal", "tracker", "tracker")


def test_settings_default_database_is_sqlite_beside_manage_py(monkeypatch):
    from config.settings import base

    monkeypatch.delenv("DATABASE_URL", raising=False)
    reloaded = importlib.reload(base)
    assert reloaded.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(reloaded.DATABASES["default"]["NAME"]) == ROOT / "db.sqlite3"
