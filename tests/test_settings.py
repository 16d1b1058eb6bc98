"""Production settings: secure by default, configured from the environment."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "arobase.settings",
    "SECRET_KEY": "a-production-secret-that-is-long-enough-and-random-" + "x7Qp2#Lm9!Zr4&Wd8^Kt",
    "ALLOWED_HOSTS": "label.example.org",
    "DEBUG": "0",
}


def run_arobase(*args, env=None, cwd=None):
    environment = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "HTTPS", "AROBASE_VAR_DIR", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "arobase", *args], capture_output=True, text=True, env=environment, timeout=120, cwd=cwd)


PRINT_DATA_FOLDERS = "from django.conf import settings; print(settings.VAR_DIR, settings.STATIC_ROOT, settings.DATABASES['default']['NAME'])"


def test_the_data_folder_is_where_the_command_runs_not_where_the_package_is(tmp_path):
    """gunicorn and `arobase collectstatic` run from the same folder see the same files."""
    result = run_arobase("shell", "-v", "0", "-c", PRINT_DATA_FOLDERS, env=PRODUCTION_ENV, cwd=tmp_path)
    assert result.stdout.split() == [str(tmp_path / "var"), str(tmp_path / "var" / "static"), str(tmp_path / "var" / "arobase.sqlite3")]


def test_the_data_folder_can_be_named(tmp_path):
    folder = tmp_path / "data"
    result = run_arobase("shell", "-v", "0", "-c", PRINT_DATA_FOLDERS, env=PRODUCTION_ENV | {"AROBASE_VAR_DIR": str(folder)}, cwd="/")
    assert result.stdout.split() == [str(folder), str(folder / "static"), str(folder / "arobase.sqlite3")]


def test_check_deploy_is_clean_with_production_settings():
    result = run_arobase("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_passwords_are_hashed_with_argon2_in_production():
    result = run_arobase("shell", "-v", "0", "-c", "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])", env=PRODUCTION_ENV)
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_database_url_selects_the_database():
    result = run_arobase(
        "shell", "-v", "0", "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])",
        env=PRODUCTION_ENV | {"DATABASE_URL": "postgres://someone@db.example.org:5432/label"},
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "label"]


def test_french_by_default_and_paris_time():
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "en"]


@pytest.mark.parametrize("name", ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"])
def test_https_flags_follow_production(name):
    result = run_arobase("shell", "-v", "0", "-c", f"from django.conf import settings; print(settings.{name})", env=PRODUCTION_ENV)
    assert result.stdout.strip() == "True"



def test_cache_url_selects_a_shared_redis_cache():
    show = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION', '-'))"
    local = run_arobase("shell", "-v", "0", "-c", show, env=PRODUCTION_ENV)
    assert local.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache", "-"]
    shared = run_arobase("shell", "-v", "0", "-c", show, env=PRODUCTION_ENV | {"CACHE_URL": "redis://cache.example.org:6379/0"})
    assert shared.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "redis://cache.example.org:6379/0"]


@pytest.mark.parametrize("variable, value", [("AROBASE_AGGREGATION", "moyenne"), ("AROBASE_LEVEL_THRESHOLDS", "80,60,40,20"), ("AROBASE_LEVEL_THRESHOLDS", "20,40"), ("AROBASE_LEVEL_THRESHOLDS", "a,b,c,d")])
def test_a_wrong_season_setting_is_refused_at_start_with_a_clear_message(variable, value):
    result = run_arobase("check", env=PRODUCTION_ENV | {variable: value})
    assert result.returncode != 0 and variable in result.stderr


def test_season_settings_are_read_from_the_environment():
    show = "from django.conf import settings; print(settings.AGGREGATION, settings.LEVEL_THRESHOLDS)"
    result = run_arobase("shell", "-v", "0", "-c", show, env=PRODUCTION_ENV | {"AROBASE_AGGREGATION": "median", "AROBASE_LEVEL_THRESHOLDS": "10,30,50,70"})
    assert result.stdout.strip() == "median (10.0, 30.0, 50.0, 70.0)"


def test_each_postgresql_test_run_has_a_database_of_its_own():
    """Two runs on one PostgreSQL server (two checkouts, CI beside a developer) never
    create, use or drop the same test database."""
    show = "from django.conf import settings; print(settings.DATABASES['default']['TEST']['NAME'])"
    env = {"DJANGO_SETTINGS_MODULE": "arobase.settings_test", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/arobase"}
    names = {run_arobase("shell", "-v", "0", "-c", show, env=env).stdout.strip() for _ in range(2)}
    assert len(names) == 2 and all(name.startswith("test_arobase_") for name in names)
