"""Shared by the Excel commands: finding the period and branch named on the command line,
and writing a file whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from assessment.models import Period
from members.models import Branch


def period_by_code(code: str) -> Period:
    period = Period.objects.select_related("rubric").filter(code=code).first()
    if period is None:
        raise CommandError(_("No assessment period has the code “%(code)s”.") % {"code": code})
    return period


def branch_by_name(value: str | None) -> Branch | None:
    """A branch by its name, or by its id (the design's ``--branch ID``)."""
    if value is None:
        return None
    branch = Branch.objects.filter(name=value.strip()).first()
    if branch is None and value.strip().isdigit():
        branch = Branch.objects.filter(pk=int(value)).first()
    if branch is None:
        raise CommandError(_("No branch is called “%(name)s”.") % {"name": value})
    return branch


@contextlib.contextmanager
def output_file(out: str) -> Iterator[IO[bytes]]:
    """A temporary file beside ``out`` that replaces it only when the block succeeds, so a
    failed export never leaves half a workbook behind."""
    path = Path(out)
    if not path.parent.is_dir():
        raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".partial-", suffix=path.suffix or ".xlsx")
    try:
        with os.fdopen(fd, "w+b") as fh:
            yield fh
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
