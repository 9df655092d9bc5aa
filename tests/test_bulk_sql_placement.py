"""Hand-written SQL belongs only to the bulk paths ``make bench`` measures.

Pages and single-record workflows use the ORM as it is. A module that opens a cursor,
writes raw SQL (``.raw()``, ``RawSQL``, ``.extra()``) or uses the bulk machinery
(partybuild/lib/bulk_sql.py) must be one of the bulk paths listed here, each named by
what it does; anything else is refused, so the next engineer finds every statement in
these few places."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("members", "study", "activities", "assessment", "reminders", "partybuild")

BULK_PATHS = {
    "partybuild/lib/bulk_sql.py": "the bulk machinery itself (COPY, INSERT … SELECT, deferred keys)",
    "assessment/services/results.py": "compute_results: one GROUP BY of the ratings, results by COPY",
    "assessment/services/periods.py": "closing a period seals its anonymous ratings in three statements",
    "reminders/services.py": "the reminder fan-out: notifications by INSERT … SELECT",
    "partybuild/ops/backups.py": "backup_db / restore_db",
    "partybuild/ops/management/commands/seed_demo.py": "the demo seed",
    "partybuild/lib/pagination.py": "a whole million-row table's size from the planner's estimate, not a COUNT(*)",
}
# The demo seed's builders, one package per app.
BULK_PACKAGES = ("study/demo/", "activities/demo/", "assessment/demo/", "members/demo")


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=relative)


def _raw_sql_uses(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in {"cursor", "raw", "extra"}:
                found.append(f"line {node.lineno}: .{node.func.attr}()")
        elif isinstance(node, ast.Name) and node.id == "RawSQL":
            found.append(f"line {node.lineno}: RawSQL")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith("bulk_sql"):
            found.append(f"line {node.lineno}: imports {node.module}")
    return found


def test_raw_sql_lives_only_in_the_bulk_paths():
    strays = {
        module: uses
        for module, tree in _modules()
        if (uses := _raw_sql_uses(tree)) and module not in BULK_PATHS and not module.startswith(BULK_PACKAGES)
    }
    assert not strays, f"hand-written SQL outside the bulk paths: {strays}"


def test_the_list_of_bulk_paths_is_current():
    """Every listed path exists and still writes SQL: the list names the real places."""
    modules = dict(_modules())
    for module in BULK_PATHS:
        assert module in modules, f"{module} is listed but does not exist"
        assert _raw_sql_uses(modules[module]), f"{module} is listed but writes no SQL any more"


def test_the_check_finds_a_cursor_and_raw_sql():
    source = "def page(request):\n    with connection.cursor() as c:\n        c.execute('SELECT 1')\n"
    assert _raw_sql_uses(ast.parse(source)) == ["line 2: .cursor()"]
    assert _raw_sql_uses(ast.parse("Member.objects.raw('SELECT 1')"))
    assert _raw_sql_uses(ast.parse("qs.annotate(x=RawSQL('1', []))"))
