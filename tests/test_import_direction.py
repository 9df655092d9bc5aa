"""Imports run one way (STYLE.md, "Imports run one way").

``members`` (the roster, roles and the scope rule) is the ground and imports no other app;
``study`` builds on ``members``; ``activities`` on those two; ``assessment`` on those three;
``reminders`` may use any of them. ``partybuild.lib`` is a library every app may use and it
imports no app. The composition root (the rest of ``partybuild``: settings, URLs, the home
page, ``seed_demo``) may import everything, and no app imports it.

Every module of each app is read with ``ast`` (imports at module level and inside
functions alike); test modules are exempt (a test may set up records of any app).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("members", "study", "activities", "assessment", "reminders")
LIB = "partybuild.lib"

# What each part may import, besides itself, the standard library and third-party packages.
ALLOWED: dict[str, set[str]] = {
    "members": {LIB},
    "study": {LIB, "members"},
    "activities": {LIB, "members", "study"},
    "assessment": {LIB, "members", "study", "activities"},
    "reminders": {LIB, "members", "study", "activities", "assessment"},
    LIB: set(),
}
# The project's own top-level packages: an import of anything else is not our concern here.
OURS = (*APPS, "partybuild")


def _is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def _modules(part: str) -> list[Path]:
    folder = ROOT.joinpath(*part.split("."))
    return sorted(p for p in folder.rglob("*.py") if not _is_test(p.relative_to(ROOT)))


def _dotted(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(path: Path) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of every import in the module, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _dotted(path) if path.name == "__init__.py" else _dotted(path)[:-1]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # "from partybuild import lib" and "from . import views" name modules too.
            names += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return names


def _owner(name: str) -> str | None:
    """Which part of the project a dotted name belongs to (None: not ours)."""
    if name == LIB or name.startswith(LIB + "."):
        return LIB
    top = name.split(".")[0]
    return top if top in OURS else None


def _wrong_way(part: str) -> list[str]:
    allowed = ALLOWED[part] | {part}
    wrong = []
    for path in _modules(part):
        for line, name in _imported(path):
            owner = _owner(name)
            if owner is not None and owner not in allowed:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return wrong


@pytest.mark.parametrize("part", [*APPS, LIB])
def test_imports_run_one_way(part):
    assert _wrong_way(part) == []


def test_the_check_sees_relative_and_nested_imports(tmp_path, monkeypatch):
    """The reader resolves ``from ..x import y`` and finds imports inside functions."""
    module = ROOT / "members" / "views.py"
    names = {name for _line, name in _imported(module)}
    assert any(name.startswith("members.") for name in names)
    source = tmp_path / "members" / "sub" / "mod.py"
    source.parent.mkdir(parents=True)
    source.write_text("def f():\n    from ...study.models import Talk\n    from ..models import Member\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert [name for _line, name in _imported(source)] == ["study.models.Talk", "members.models.Member"]
