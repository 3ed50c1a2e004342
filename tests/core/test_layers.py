"""Apps depend one way: core <- skills <- training <- certificates <- buddies <- organisation."""

import ast
from pathlib import Path

import pytest

from tests.core.layers import LAYERS, upward_imports

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("app", LAYERS)
def test_layers_no_app_imports_one_above_it(app):
    assert upward_imports(ROOT, app) == []


def test_layers_upward_import_is_found(tmp_path):
    (tmp_path / "skills").mkdir()
    (tmp_path / "skills" / "views.py").write_text(
        "import certificates.models\nfrom training import rules\nfrom core.roles import Role\n"
    )
    found = upward_imports(tmp_path, "skills")
    assert found == [
        "skills/views.py:1 imports certificates.models",
        "skills/views.py:2 imports training",
    ]


def test_layers_function_level_import_is_found(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "tables.py").write_text("def f():\n    from skills.models import X\n")
    assert upward_imports(tmp_path, "core") == ["core/tables.py:2 imports skills.models"]


def test_layers_parse_every_module():
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            ast.parse(path.read_text(), str(path))
