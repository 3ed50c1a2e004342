"""Which app may import which: each app may import only the apps below it in LAYERS."""

from __future__ import annotations

import ast
from pathlib import Path

LAYERS = ("core", "skills", "training", "certificates", "buddies", "organisation")


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import in the tree, at any depth."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return sorted(found)


def upward_imports(root: Path, app: str) -> list[str]:
    """Every import in `app` of an app above it, as "path:line imports module"."""
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    problems = []
    for path in sorted((root / app).rglob("*.py")):
        for line, module in imported_modules(ast.parse(path.read_text(), str(path))):
            if module.split(".")[0] in above:
                problems.append(f"{path.relative_to(root).as_posix()}:{line} imports {module}")
    return problems
