"""Hostile workbooks through every door (issue 14, finding 7): the roster's web upload,
``import_roster`` and the Django admin's import; the paper ballots' web upload and
``import_ratings``. Each is refused with its reason, never a server error, and nothing is
written. The reading itself, under a memory cap, is tested in
partybuild/tests/test_xlsx_limits.py."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from members.services import ROSTER_COMMAND_LIMITS, ROSTER_WEB_LIMITS
from members.tests.xlsx import HEADERS
from partybuild.lib.xlsx import BALLOTS_MAX_ROWS, MAX_COMPRESSION_RATIO, ROSTER_WEB_MAX_ROWS, check_workbook
from partybuild.tests import hostile_xlsx as hostile
from tests.fuzz_posting import snapshot
from tests.test_bad_excel import ROSTER, admin, command, ratings_importer, report_errors, upload  # noqa: F401

pytestmark = pytest.mark.django_db

XFD = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
ROW_REFUSAL = "The sheet has a cell in row %(row)d, more than the %(limit)d rows allowed."


@pytest.fixture(params=["roster", "ratings"])
def importer(request, org):
    return ROSTER if request.param == "roster" else ratings_importer()


def test_a_cell_at_xfd1048576_is_refused_by_the_web_and_the_command(org, admin, importer, tmp_path):  # noqa: F811
    content = hostile.workbook(hostile.sheet_xml(hostile.header_row(importer.headers) + XFD), title=importer.title)
    before = snapshot()
    response = upload(admin, importer, content)
    assert response.status_code == 200
    [error] = report_errors(response)
    limit = ROSTER_WEB_LIMITS.max_rows if importer.name == "roster" else BALLOTS_MAX_ROWS
    assert error.message.startswith(_(ROW_REFUSAL) % {"row": 1048576, "limit": limit})
    assert "1048576" in response.content.decode()
    out = command(importer, content, tmp_path)
    assert "1048576" in out and "Traceback" not in out
    assert snapshot() == before


def test_a_zip_bomb_is_refused_by_the_web_and_the_command(org, admin, importer, tmp_path):  # noqa: F811
    content = hostile.shared_strings_bomb(importer.headers)
    response = upload(admin, importer, content)
    assert response.status_code == 200
    message = _(
        "A part of the file unpacks to more than %(limit)d times its packed size, "
        "as a zip bomb does; it is refused unread."
    ) % {"limit": MAX_COMPRESSION_RATIO}
    assert [e.message for e in report_errors(response)] == [message]
    assert message in command(importer, content, tmp_path)


@pytest.fixture(scope="module")
def long_roster() -> bytes:
    return hostile.honest_rows(HEADERS, 200_000)


def test_a_200000_row_roster_on_the_web_is_sent_to_the_command(org, admin, long_roster):  # noqa: F811
    response = upload(admin, ROSTER, long_roster)
    assert response.status_code == 200
    [error] = report_errors(response)
    assert error.message == (
        _("The sheet declares %(rows)d rows, more than the %(limit)d rows allowed.")
        % {"rows": 200_001, "limit": ROSTER_WEB_MAX_ROWS}
        + " "
        + _("Import a roster this long on the server with the import_roster command.")
    )
    assert "import_roster" in response.content.decode()


def test_the_command_takes_a_200000_row_roster_past_the_checks(long_roster):
    check_workbook(io.BytesIO(long_roster), limits=ROSTER_COMMAND_LIMITS)


def test_the_admin_import_refuses_a_hostile_workbook_with_its_reason(org, admin):  # noqa: F811
    content = hostile.workbook(hostile.sheet_xml(hostile.header_row(HEADERS) + XFD))
    before = snapshot()
    response = admin.post(
        reverse("admin:members_member_import"),
        {"format": "0", "resource": "0", "import_file": SimpleUploadedFile("roster.xlsx", content)},
    )
    assert response.status_code == 200
    assert "1048576" in response.content.decode()
    assert snapshot() == before


def test_the_admin_import_reads_an_honest_roster_as_the_app_does(org, admin):  # noqa: F811
    content = hostile.honest_rows(HEADERS, 1, value="")
    response = admin.post(
        reverse("admin:members_member_import"),
        {"format": "0", "resource": "0", "import_file": SimpleUploadedFile("roster.xlsx", content)},
    )
    assert response.status_code == 200
    assert "encountered while trying to read file" not in response.content.decode()
