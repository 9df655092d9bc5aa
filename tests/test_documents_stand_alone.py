"""The repository's documents stand on their own: no README or document points to a file
outside the repository (a design note in a sibling folder, a path on someone's machine),
which a reader of the repository cannot open."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A relative path that climbs (../x), an absolute path on a machine, a home directory.
CLIMBING = re.compile(r"(?<![\w./])(?:\.\./)+[\w.\-/]*")
ABSOLUTE = re.compile(r"(?<![\w.:/])(?:/(?:work|home|root|Users)/|~/)[\w.\-/]*")
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")


def documents() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in names if (ROOT / name).exists() and not name.startswith("static/vendor/")]


def outside_pointers(path: Path, text: str) -> list[str]:
    """Every relative link, and every path that climbs, must name something in the repository
    (from the document's folder); no path may name a place on a machine."""
    found = []
    for target in dict.fromkeys(CLIMBING.findall(text) + LINK.findall(text)):
        if re.match(r"[a-z][a-z0-9+.-]*:|#", target):  # a URL or an anchor in the page
            continue
        resolved = (path.parent / target.split("#")[0]).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            found.append(target)
    found += ABSOLUTE.findall(text)
    return found


def test_the_scan_finds_pointers_outside_the_repository():
    readme = ROOT / "README.md"
    text = "See ../shared/DESIGN.md, [style](../../STYLE.md), /work/notes.md and ~/todo.md; docs/x.md is fine."
    assert outside_pointers(readme, text) == ["../shared/DESIGN.md", "../../STYLE.md", "/work/notes.md", "~/todo.md"]
    # From docs/, ../shared/DESIGN.md would be a folder of the repository, but there is none.
    assert outside_pointers(ROOT / "docs" / "reliability.md", "(../shared/DESIGN.md)") == ["../shared/DESIGN.md"]
    inside = "[ops](../docs/operations.md), [up](../README.md) from bench/, https://example.com/a/../b, `var/`"
    assert outside_pointers(ROOT / "bench" / "README.md", inside) == []


def test_there_are_documents_to_read():
    names = {path.relative_to(ROOT).as_posix() for path in documents()}
    assert {"README.md", "docs/operations.md", "docs/reliability.md"} <= names


@pytest.mark.parametrize("path", documents(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_document_points_outside_the_repository(path):
    assert outside_pointers(path, path.read_text(encoding="utf-8")) == []
