"""Back up and restore the database the settings point at.

SQLite goes through the online backup API, which copies a consistent snapshot page
by page while the web server, the worker and beat keep writing. PostgreSQL goes
through ``pg_dump -Fc`` (one snapshot, taken while the application runs) and
``pg_restore --clean --if-exists`` in a single transaction, so a failed restore
leaves the database as it was.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
# A database holding any of these has real data; a freshly migrated one has none.
ROSTER_TABLES = ("members_user", "members_branch", "members_member", "members_massesrater")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    engine: str
    size: int


def _settings(alias: str) -> dict:
    return connections[alias].settings_dict


def _engine(alias: str) -> str:
    engine = _settings(alias)["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(_("Backups are not supported for the database engine %(engine)s.") % {"engine": engine})


def database_backup(*, out: Path, alias: str = DEFAULT_DB_ALIAS) -> BackupInfo:
    """Write a backup of the database to ``out``; a half-written file never takes its place."""
    out = Path(out)
    if not out.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": out.parent})
    engine = _engine(alias)
    # Write beside the target and rename, so an interrupted backup never leaves a
    # truncated file under the name the operator will later restore from.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if engine == "sqlite":
            _sqlite_backup(alias=alias, out=tmp)
        else:
            _pg_backup(alias=alias, out=tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupInfo(path=out, engine=engine, size=out.stat().st_size)


def database_is_empty(*, alias: str = DEFAULT_DB_ALIAS) -> bool:
    """True when the database has no login and no roster row (new, or only migrated)."""
    connection = connections[alias]
    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).exists():
        return True
    present = set(connection.introspection.table_names()) & set(ROSTER_TABLES)
    with connection.cursor() as cursor:
        for table in sorted(present):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return False
    return True


def database_restore(*, source: Path, force: bool = False, alias: str = DEFAULT_DB_ALIAS) -> str:
    """Replace the database's contents with the backup in ``source``; returns the engine."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("No such file: %(path)s") % {"path": source})
    engine = _engine(alias)
    if engine == "sqlite":
        _sqlite_check_file(source)
    else:
        _pg_check_file(alias=alias, source=source)
    if not force and not database_is_empty(alias=alias):
        raise BackupError(
            _(
                "The database already holds data. Restoring replaces all of it with the backup; "
                "run the command again with --force if that is what you want."
            )
        )
    # Our own connection must not hold a lock (or a stale schema) while the data is replaced.
    connections.close_all()
    if engine == "sqlite":
        _sqlite_restore(alias=alias, source=source)
    else:
        _pg_restore(alias=alias, source=source)
    return engine


# --- SQLite -------------------------------------------------------------------


def _sqlite_path(alias: str) -> str:
    name = str(_settings(alias)["NAME"])
    if name == ":memory:" or name.startswith("file::memory:") or "mode=memory" in name:
        raise BackupError(_("An in-memory SQLite database cannot be backed up or restored."))
    return name


def _sqlite_backup(*, alias: str, out: Path) -> None:
    sqlite_backup_file(source=_sqlite_path(alias), out=out)


def sqlite_backup_file(*, source: str | Path, out: Path) -> None:
    """Copy the SQLite database ``source`` to ``out``: one snapshot, even while others write."""
    name = str(source)
    if not Path(name).is_file():
        raise BackupError(_("The database file %(path)s does not exist.") % {"path": name})
    src = sqlite3.connect(name, timeout=20)
    target = sqlite3.connect(out)
    try:
        # One step, one read transaction: a snapshot. In WAL mode (the settings turn it
        # on) writers carry on meanwhile; copying in small steps instead would start over
        # each time another process writes, and might never finish on a busy site.
        src.backup(target, pages=-1)
        # A backup file is self-contained: no -wal file to carry around with it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        src.close()
    _sqlite_check_file(out)


def _sqlite_check_file(path: Path) -> None:
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(_("%(path)s is not an SQLite backup.") % {"path": path})
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            (verdict,) = conn.execute("PRAGMA integrity_check").fetchone()
            has_migrations = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("%(path)s is damaged: %(error)s") % {"path": path, "error": exc}) from exc
    if verdict != "ok":
        raise BackupError(_("%(path)s is damaged: %(error)s") % {"path": path, "error": verdict})
    if not has_migrations:
        raise BackupError(_("%(path)s is not a backup of this application.") % {"path": path})


def _sqlite_restore(*, alias: str, source: Path) -> None:
    name = _sqlite_path(alias)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(name, timeout=20)
    try:
        # The backup API copies into the live file under its lock, in one step, so
        # other processes see either the old database or the restored one.
        src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(_("The restore failed: %(error)s") % {"error": exc}) from exc
    finally:
        dst.close()
        src.close()


# --- PostgreSQL ---------------------------------------------------------------


def _pg_env(alias: str) -> dict[str, str]:
    settings = _settings(alias)
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(key):
            env[var] = str(settings[key])
    sslmode = settings.get("OPTIONS", {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(_("%(tool)s was not found; install the PostgreSQL client tools.") % {"tool": name})
    return path


def _major(version: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version)
    return int(match.group(1)) if match else 0


def pg_tool_matches_server(*, tool: str = "pg_dump", alias: str = DEFAULT_DB_ALIAS) -> tuple[bool, str, str]:
    """Whether the client tool can work with the server: (ok, tool version, server version)."""
    out = subprocess.run([_pg_tool(tool), "--version"], capture_output=True, text=True, check=True)  # noqa: S603
    found = re.search(r"\d+(?:\.\d+)?", out.stdout)
    tool_version = found.group(0) if found else "?"
    connection = connections[alias]
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    server_version = f"{server_major}.{connection.pg_version % 10000}"
    # pg_dump and pg_restore read servers and archives of their own major version and older.
    return _major(tool_version) >= server_major, tool_version, server_version


def _pg_run(args: list[str], *, alias: str) -> None:
    result = subprocess.run(args, env=_pg_env(alias), capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": Path(args[0]).name, "error": result.stderr.strip()}
        )


def _pg_backup(*, alias: str, out: Path) -> None:
    ok, tool_version, server_version = pg_tool_matches_server(tool="pg_dump", alias=alias)
    if not ok:
        raise BackupError(
            _("pg_dump %(tool)s cannot back up a PostgreSQL %(server)s server; install client tools of that version.")
            % {"tool": tool_version, "server": server_version}
        )
    _pg_run([_pg_tool("pg_dump"), "--format=custom", f"--file={out}", _settings(alias)["NAME"]], alias=alias)


def _pg_check_file(*, alias: str, source: Path) -> None:
    with source.open("rb") as fh:
        if fh.read(len(PG_CUSTOM_HEADER)) != PG_CUSTOM_HEADER:
            raise BackupError(_("%(path)s is not a pg_dump -Fc backup.") % {"path": source})
    result = subprocess.run([_pg_tool("pg_restore"), "--list", str(source)], capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(_("%(path)s is damaged: %(error)s") % {"path": source, "error": result.stderr.strip()})
    if "django_migrations" not in result.stdout:
        raise BackupError(_("%(path)s is not a backup of this application.") % {"path": source})


def _pg_restore(*, alias: str, source: Path) -> None:
    _pg_run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            # Restoring as another role (a new server, a test database) must still work.
            "--no-owner",
            "--no-privileges",
            # All or nothing: an error half-way leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_settings(alias)['NAME']}",
            str(source),
        ],
        alias=alias,
    )
