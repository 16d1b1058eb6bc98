"""The house's shape (docs/architecture.md), held by `make test` so that it cannot drift."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "arobase"
MAX_LINES = 350


def test_imports_go_down_the_layers():
    """import-linter reads every import, those inside functions included, against the
    contracts of pyproject.toml."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache", "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_mixes_concerns_past_350_lines():
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_every_admin_reads_posted_ids_with_the_bounded_parser(db):
    """A ModelAdmin or inline without the mixin would hand 5 000 digits to the database."""
    from django.contrib import admin

    from arobase.core.admin_fields import SafeFieldsAdmin

    unbounded = [
        type(model_admin).__name__ if isinstance_ok else inline.__name__
        for model_admin in admin.site._registry.values()
        for isinstance_ok, inline in [(True, None)] + [(False, i) for i in model_admin.inlines]
        if not issubclass(type(model_admin) if isinstance_ok else inline, SafeFieldsAdmin)
    ]
    assert unbounded == []
