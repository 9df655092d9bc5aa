"""Hostile workbooks are refused before calamine reads them, each with its reason.

Every file here would take the reader to gigabytes, or abort it, if the checks let it
through. So the real read runs in a child process capped at 1 GB of address space and a
minute of time: a broken check fails the test instead of taking the test runner down.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.utils.translation import gettext as _

from partybuild.lib import xlsx
from partybuild.lib.xlsx import SheetLimits, WorkbookError, check_workbook, read_sheet
from partybuild.tests import hostile_xlsx as hostile

HEADERS = ["工号", "姓名", "性别"]
LIMITS = SheetLimits(max_rows=20_000, max_columns=len(HEADERS) + xlsx.SPARE_COLUMNS)

HOSTILE = {
    "a cell at XFD1048576": hostile.cell_at_xfd1048576,
    "a dimension of A1:XFD1048576": hostile.declared_xfd1048576,
    "a sparse sheet to Z1000000": hostile.sparse_to_z1000000,
    "20,000 cells without references in a row": hostile.cell_without_reference_far_right,
    "a shared-strings zip bomb": hostile.shared_strings_bomb,
    "a sheet whose zip entry lies about its size": hostile.lying_sizes,
    "an entity-expansion bomb": hostile.entity_bomb,
    "600 parts": hostile.too_many_parts,
    "two parts of one name": hostile.duplicate_sheet_part,
    "the sheet outside xl/worksheets/": hostile.hidden_sheet_path,
}

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 1024 * 1024 * 1024

# The child reads the file on stdin with read_sheet under the caps; it exits 3 on a
# refusal, 0 when the file was read, and dies (SIGABRT, SIGKILL) or times out otherwise.
CHILD = textwrap.dedent(
    """
    import io, resource, sys
    from django.conf import settings
    settings.configure(USE_I18N=False)
    from partybuild.lib.xlsx import SheetLimits, WorkbookError, read_sheet
    data = sys.stdin.buffer.read()
    resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
    try:
        read_sheet(io.BytesIO(data), limits=SheetLimits(max_rows={rows}, max_columns={columns}))
    except WorkbookError as exc:
        print("refused:", exc)
        sys.exit(3)
    print("read")
    """
)


def read_in_child(content: bytes, limits: SheetLimits = LIMITS) -> subprocess.CompletedProcess:
    script = CHILD.format(cap=MEMORY_CAP, rows=limits.max_rows, columns=limits.max_columns)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    try:
        return subprocess.run(
            [sys.executable, "-c", script], input=content, capture_output=True, cwd=ROOT, env=env, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the read did not end within a minute (the reader was stuck at the memory cap)")


@pytest.fixture(params=HOSTILE)
def content(request) -> bytes:
    return HOSTILE[request.param](HEADERS)


def test_a_hostile_workbook_is_refused_in_a_child_capped_at_one_gigabyte(content):
    done = read_in_child(content)
    assert done.returncode == 3, (done.returncode, done.stdout[-500:], done.stderr[-2000:])
    assert b"refused:" in done.stdout


def test_a_hostile_workbook_is_refused_without_calamine_being_reached(content, monkeypatch):
    def reached(*args, **kwargs):
        raise AssertionError("calamine was given the file")

    monkeypatch.setattr(xlsx.CalamineWorkbook, "from_filelike", reached)
    started = time.monotonic()
    with pytest.raises(WorkbookError):
        read_sheet(io.BytesIO(content), limits=LIMITS)
    assert time.monotonic() - started < 10


def refusal(content: bytes, limits: SheetLimits = LIMITS) -> str:
    with pytest.raises(WorkbookError) as refused:
        check_workbook(io.BytesIO(content), limits=limits)
    return str(refused.value)


def test_a_cell_past_the_last_row_allowed_is_refused_naming_row_and_limit():
    message = refusal(hostile.cell_at_xfd1048576(HEADERS))
    assert message == _("The sheet has a cell in row %(row)d, more than the %(limit)d rows allowed.") % {
        "row": 1048576,
        "limit": 20_000,
    }


def test_a_declared_dimension_past_the_limits_is_refused_before_any_cell_is_read():
    message = refusal(hostile.declared_xfd1048576(HEADERS))
    assert message == _("The sheet declares %(rows)d rows, more than the %(limit)d rows allowed.") % {
        "rows": 1048576,
        "limit": 20_000,
    }


def test_a_sheet_wider_than_its_columns_is_refused_naming_the_column():
    wide = hostile.workbook(hostile.sheet_xml(hostile.header_row(HEADERS) + '<row r="2"><c r="N2"><v>1</v></c></row>'))
    message = refusal(wide)
    assert message == _("The sheet has a cell in column %(column)s, more than the %(limit)d columns allowed.") % {
        "column": "N",
        "limit": 13,
    }


def test_a_zip_bomb_is_refused_as_one():
    assert (
        refusal(hostile.shared_strings_bomb(HEADERS))
        == refusal(hostile.lying_sizes(HEADERS))
        == _(
            "A part of the file unpacks to more than %(limit)d times its packed size, "
            "as a zip bomb does; it is refused unread."
        )
        % {"limit": xlsx.MAX_COMPRESSION_RATIO}
    )


def test_a_file_larger_than_allowed_is_refused_by_its_size():
    content = hostile.workbook(hostile.sheet_xml(hostile.header_row(HEADERS)))
    small = SheetLimits(max_rows=10, max_columns=5, max_bytes=len(content) - 1)
    assert refusal(content, small).startswith(
        _("The file is too large: %(size)s MB, more than the %(limit)s MB allowed.")[:5]
    )


def test_a_too_long_refusal_carries_the_callers_hint():
    limits = SheetLimits(max_rows=100, max_columns=5, too_long_hint="Use the command.")
    assert refusal(hostile.honest_rows(HEADERS, 200), limits).endswith(" Use the command.")
    assert refusal(hostile.honest_rows(HEADERS, 200, dimension=False), limits).endswith(" Use the command.")


def test_a_long_honest_sheet_is_refused_quickly_and_passes_a_higher_limit():
    content = hostile.honest_rows(HEADERS, 200_000)
    started = time.monotonic()
    refusal(content)
    assert time.monotonic() - started < 1
    check_workbook(io.BytesIO(content), limits=SheetLimits(max_rows=500_000, max_columns=13, max_bytes=200 << 20))


def test_an_honest_workbook_at_the_limits_is_read():
    content = hostile.honest_rows(HEADERS, 99)
    data = read_sheet(io.BytesIO(content), limits=SheetLimits(max_rows=100, max_columns=3))
    assert data.headers == HEADERS and len(data) == 99


def test_the_hostile_files_are_small():
    """What makes them dangerous is what they claim, not their size."""
    assert len(hostile.cell_at_xfd1048576(HEADERS)) < 5 * 1024
    assert len(hostile.shared_strings_bomb(HEADERS)) < 2 * 1024 * 1024
