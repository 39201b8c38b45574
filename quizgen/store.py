"""The progress store: every answer a student gives, and each skill's review schedule, in SQLite.

Guarantees:

* each answer is committed in its own transaction before the next question is
  shown, so killing the process loses at most the question on screen;
* WAL mode and a busy timeout, so two drills on one database neither fail nor
  corrupt it;
* numbered migrations (``PRAGMA user_version``), applied in one transaction each;
* the latest answer to a skill can be undone (the attempt removed and the skill's schedule
  row put back byte for byte, from the copy kept with the attempt) or re-rated, each in one
  transaction: a failure changes nothing;
* a file that is not a quizgen database, is damaged, or comes from a newer
  quizgen is refused with a message naming it; it is never overwritten;
* every SQLite failure is reported for what it is (issue 11, finding 14): a
  read-only folder or file, a full disk, a lock held too long, a damaged file,
  a hand-edited schedule row; never "damaged" for a healthy file that cannot be
  written, and never the failed clean-up of a migration instead of its cause.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import QuizgenError

APPLICATION_ID = 0x51475A31  # "QGZ1": marks a SQLite file as a quizgen progress store
BUSY_TIMEOUT_MS = 10_000

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # Each migration is a tuple of single SQL statements, run in order in one transaction (never
    # text split on ";", which would cut a statement holding one in a string or a trigger).
    # 1: attempts and per-skill schedule
    (
        """
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            answered_at TEXT NOT NULL,
            skill TEXT NOT NULL,
            topic TEXT NOT NULL,
            variant TEXT,
            seed INTEGER,
            answer TEXT NOT NULL,
            correct INTEGER,
            response_ms INTEGER NOT NULL
        )
        """,
        "CREATE INDEX attempts_skill ON attempts (skill, answered_at)",
        """
        CREATE TABLE skills (
            skill TEXT PRIMARY KEY,
            topic TEXT NOT NULL,
            card TEXT NOT NULL,
            due TEXT NOT NULL,
            last_review TEXT
        )
        """,
        "CREATE INDEX skills_due ON skills (due)",
    ),
    # 2: sessions, hints, skips and the FSRS rating on each attempt
    (
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            seed INTEGER,
            planned INTEGER NOT NULL
        )
        """,
        "ALTER TABLE attempts ADD COLUMN session_id INTEGER REFERENCES sessions (id)",
        "ALTER TABLE attempts ADD COLUMN hint_used INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE attempts ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE attempts ADD COLUMN rating INTEGER",
    ),
    # 3: undo and re-rating: the rating quizgen proposed (`rating` is the one kept, which the student
    # may have changed), and the skill's schedule row as it was before the attempt, so that undoing
    # the attempt restores it exactly ({"row": null} when the skill had none)
    (
        "ALTER TABLE attempts ADD COLUMN proposed_rating INTEGER",
        "ALTER TABLE attempts ADD COLUMN schedule_before TEXT",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(QuizgenError):
    """The progress database cannot be used (not quizgen's, damaged, too new, unwritable)."""


def _code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code of an error (0 when it has none)."""
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _is_busy(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection holds the file."""
    return _code(exc) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


_DAMAGED = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
_UNWRITABLE = (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_IOERR)
NEARLY_FULL = 1 << 20
"""Free bytes below which a disk counts as full: SQLite needs room for its journal files (the shared
memory index alone is 32 KiB), and on a full disk it often says only "disk I/O error"."""


def _writable(path: Path) -> bool:
    """Whether this process may write ``path`` (with its effective ids: root's bypass included)."""
    return os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


def default_path() -> Path:
    """`QUIZGEN_DB`, or progress.db in the platform's user data folder."""
    env = os.environ.get("QUIZGEN_DB")
    if env:
        return Path(env)
    import platformdirs  # only when no path is given: keeps it off most start-ups

    return Path(platformdirs.user_data_dir("quizgen", appauthor=False)) / "progress.db"


def now_utc() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class Attempt:
    """One answer, as recorded."""

    skill: str
    topic: str
    answer: str
    correct: bool | None
    response_ms: int
    variant: str | None = None
    seed: int | None = None
    hint_used: bool = False
    skipped: bool = False
    rating: int | None = None


@dataclass(frozen=True)
class SkillState:
    skill: str
    topic: str
    card: dict[str, Any]
    due: datetime
    last_review: datetime | None


class ProgressStore:
    """A quizgen progress database (see the module docstring)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._db = self._connect()
        try:
            self._check_and_migrate()
        except BaseException:
            self._db.close()
            raise

    # -- opening -----------------------------------------------------------------

    def _fail(self, what: str, fix: str) -> StoreError:
        return StoreError(f"{self.path}: {what}; {fix}", parameter="db")

    def _connect(self) -> sqlite3.Connection:
        try:
            is_dir = self.path.is_dir()
        except OSError as exc:  # a name too long for the file system (Python 3.11 raises it here)
            raise self._fail(f"cannot be used ({exc.strerror})", "use a shorter database file path") from None
        if is_dir:
            raise self._fail("is a folder, not a database file", "use a file path, not a folder")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._fail(
                f"cannot create its folder ({exc.strerror})", "use a database file in a writable folder"
            ) from None
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._fail(f"cannot open ({exc})", "use a database file in a writable folder") from None
        db.row_factory = sqlite3.Row
        return db

    def _check_and_migrate(self) -> None:
        db = self._db
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            application_id, version, tables = self._read_header()
        except sqlite3.DatabaseError as exc:
            raise self._diagnose(exc, "opened", damaged_by_default=True) from None
        self._check_header(application_id, version, tables)
        try:
            check = db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if _is_busy(exc):
                raise self._busy() from None
            check = str(exc)
        if check != "ok":
            raise self._fail(f"is damaged ({check})", "restore a backup or use another database file")
        try:
            self._use_wal()
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            for number in range(version, SCHEMA_VERSION):
                self._migrate(number + 1)
        except sqlite3.DatabaseError as exc:
            raise self._diagnose(exc, "written") from None

    def _diagnose(self, exc: sqlite3.Error, doing: str, damaged_by_default: bool = False) -> StoreError:
        """The one-line truth about a SQLite failure: what is wrong with the file, and the fix.

        SQLite's own words mislead here: a healthy database in a read-only folder fails with
        "attempt to write a readonly database" or "unable to open database file" (its journal files
        cannot be created next to it), and on a full disk with "disk I/O error".
        """
        code = _code(exc)
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return self._busy()
        folder = self.path.parent
        if code == sqlite3.SQLITE_FULL:
            return self._fail(
                f"cannot be {doing}: the disk is full (SQLite says: {exc})",
                "free some space and try again, or use a database file on another disk",
            )
        free = None
        with suppress(OSError):
            free = shutil.disk_usage(folder).free
        if code in _UNWRITABLE and free is not None and free < NEARLY_FULL:
            return self._fail(
                f"cannot be {doing}: the disk is full ({free:,} bytes free; SQLite says: {exc})",
                "free some space and try again, or use a database file on another disk",
            )
        if code in _UNWRITABLE:
            if not _writable(folder):
                return self._fail(
                    f"cannot be {doing}: its folder {folder} is read-only, and SQLite must create its "
                    f"journal files ({self.path.name}-wal, {self.path.name}-shm) next to it ({exc})",
                    f"make the folder writable (chmod u+w {folder}) or use a database file in a writable folder",
                )
            if self.path.exists() and not _writable(self.path):
                return self._fail(
                    f"cannot be {doing}: the file is read-only ({exc})",
                    f"make it writable (chmod u+w {self.path}) or use another database file",
                )
        if code in _DAMAGED or (damaged_by_default and code not in _UNWRITABLE):
            return self._fail(
                f"is not a SQLite database, or is damaged ({exc})",
                "move it away or use another database file; quizgen never overwrites it",
            )
        if code == sqlite3.SQLITE_IOERR:
            return self._fail(
                f"cannot be {doing}: the disk reported an error ({exc})",
                "check the disk (is it full, removed, or failing?) and try again, or use another database file",
            )
        return self._fail(
            f"cannot be {doing} ({exc})", "check the disk and its permissions, or use another database file"
        )

    def _busy(self) -> StoreError:
        return self._fail(
            f"is still locked by another program after {BUSY_TIMEOUT_MS / 1000:g} s",
            "close the other quizgen using it and try again, or use another database file",
        )

    def _read_header(self) -> tuple[int, int, list[str]]:
        """The application id, schema version and table names, read in one snapshot.

        Read one statement at a time, another process migrating the file in between
        could make a fresh quizgen store look like someone else's database.
        """
        db = self._db
        db.execute("BEGIN")
        try:
            header = self._header()
        except BaseException:
            if db.in_transaction:
                with suppress(sqlite3.Error):  # the read's own failure is the one to report
                    db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return header

    def _header(self) -> tuple[int, int, list[str]]:
        db = self._db
        application_id = int(db.execute("PRAGMA application_id").fetchone()[0])
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return application_id, version, tables

    def _check_header(self, application_id: int, version: int, tables: list[str]) -> None:
        if application_id != APPLICATION_ID and (tables or version):
            raise self._fail(
                f"is a SQLite database but not a quizgen progress store (tables: {', '.join(tables) or 'none'})",
                "use another database file; quizgen never overwrites it",
            )
        if version > SCHEMA_VERSION:
            raise self._fail(
                f"was written by a newer quizgen (schema {version}, this one knows {SCHEMA_VERSION})",
                "upgrade quizgen (pip install -U quizgen)",
            )

    def _use_wal(self) -> None:
        """Switch to WAL, retrying while another connection holds the file.

        Changing the journal mode needs the file to itself, and SQLite reports a
        busy file at once here instead of calling the busy handler; so we retry
        until the same deadline as every other statement.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = 0.001
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL").fetchall()
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def _migrate(self, version: int) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            application_id, current, tables = self._header()
            self._check_header(application_id, current, tables)  # someone may have got there first
            if current >= version:  # another process migrated it meanwhile
                db.execute("ROLLBACK")
                return
            for statement in MIGRATIONS[version - 1]:
                db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except BaseException:
            # SQLite has already rolled back after some failures (a full disk): a ROLLBACK then fails
            # with "cannot rollback", which must not hide the cause that is on its way out.
            if db.in_transaction:
                with suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a SQLite failure becomes a StoreError naming the file."""
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._write_error(exc) from None
        try:
            yield db
            db.execute("COMMIT")
        except BaseException as exc:
            if db.in_transaction:
                with suppress(sqlite3.Error):  # the original failure is the one worth reporting
                    db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._write_error(exc) from None
            raise

    def _write_error(self, exc: sqlite3.Error) -> StoreError:
        return self._diagnose(exc, "written")

    # -- writing -----------------------------------------------------------------

    def start_session(self, seed: int | None, planned: int, when: datetime) -> int:
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO sessions (started_at, seed, planned) VALUES (?, ?, ?)",
                (_iso(when), seed, planned),
            )
            return int(cursor.lastrowid or 0)

    def end_session(self, session_id: int, when: datetime) -> None:
        with self._transaction() as db:
            db.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", (_iso(when), session_id))

    def record(
        self,
        attempt: Attempt,
        when: datetime,
        session_id: int | None = None,
        schedule: tuple[dict[str, Any], datetime] | None = None,
    ) -> int:
        """Store an answer and (when given) the skill's new card and due time, in one transaction;
        the attempt's id (for :meth:`undo` and :meth:`rerate`)."""
        with self._transaction() as db:
            before = db.execute(
                "SELECT topic, card, due, last_review FROM skills WHERE skill = ?", (attempt.skill,)
            ).fetchone()
            cursor = db.execute(
                """INSERT INTO attempts (answered_at, skill, topic, variant, seed, answer, correct,
                   response_ms, session_id, hint_used, skipped, rating, proposed_rating, schedule_before)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    _iso(when),
                    attempt.skill,
                    attempt.topic,
                    attempt.variant,
                    attempt.seed,
                    attempt.answer,
                    None if attempt.correct is None else int(attempt.correct),
                    attempt.response_ms,
                    session_id,
                    int(attempt.hint_used),
                    int(attempt.skipped),
                    attempt.rating,
                    attempt.rating,
                    json.dumps({"row": dict(before) if before is not None else None}),
                ),
            )
            if schedule is not None:
                card, due = schedule
                self._put_schedule(db, attempt.skill, attempt.topic, json.dumps(card), _iso(due), _iso(when))
            return int(cursor.lastrowid or 0)

    @staticmethod
    def _put_schedule(
        db: sqlite3.Connection, skill: str, topic: str, card: str, due: str, last_review: str | None
    ) -> None:
        db.execute(
            """INSERT INTO skills (skill, topic, card, due, last_review) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (skill) DO UPDATE SET topic = excluded.topic, card = excluded.card,
               due = excluded.due, last_review = excluded.last_review""",
            (skill, topic, card, due, last_review),
        )

    def _latest(self, db: sqlite3.Connection, attempt_id: int, doing: str) -> sqlite3.Row:
        """The attempt, if it is still its skill's latest; else a StoreError saying why not."""
        row: sqlite3.Row | None = db.execute(
            "SELECT id, skill, topic, answered_at, skipped, schedule_before FROM attempts WHERE id = ?",
            (attempt_id,),
        ).fetchone()
        if row is None:
            raise self._fail(f"cannot {doing}: that answer is no longer recorded", "nothing was changed")
        latest = db.execute("SELECT MAX(id) FROM attempts WHERE skill = ?", (row["skill"],)).fetchone()[0]
        if latest != attempt_id:
            raise self._fail(
                f"cannot {doing}: a later answer to {str(row['skill'])[:40]!r} was recorded since "
                "(another drill on this database?)",
                "nothing was changed",
            )
        if row["schedule_before"] is None:
            raise self._fail(
                f"cannot {doing}: that answer was recorded by an older quizgen", "nothing was changed"
            )
        return row

    def undo(self, attempt_id: int) -> None:
        """Remove an attempt (its skill's latest) and put the skill's schedule back as it was before
        it, exactly; in one transaction, so a failure changes nothing."""
        with self._transaction() as db:
            row = self._latest(db, attempt_id, "undo")
            before = json.loads(row["schedule_before"])["row"]
            db.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
            if row["skipped"]:
                return  # a skip did not touch the schedule
            if before is None:
                db.execute("DELETE FROM skills WHERE skill = ?", (row["skill"],))
            else:
                self._put_schedule(
                    db, row["skill"], before["topic"], before["card"], before["due"], before["last_review"]
                )

    def rerate(self, attempt_id: int, rating: int, schedule: tuple[dict[str, Any], datetime]) -> None:
        """Give an attempt (its skill's latest) another rating and the schedule that rating earns, in
        one transaction."""
        card, due = schedule
        with self._transaction() as db:
            row = self._latest(db, attempt_id, "change the rating")
            if row["skipped"]:
                raise self._fail("cannot change the rating of a skipped question", "nothing was changed")
            db.execute("UPDATE attempts SET rating = ? WHERE id = ?", (rating, attempt_id))
            self._put_schedule(
                db, row["skill"], row["topic"], json.dumps(card), _iso(due), row["answered_at"]
            )

    # -- reading -----------------------------------------------------------------

    def _read(self, sql: str) -> list[sqlite3.Row]:
        """Rows of a query; a SQLite failure becomes a StoreError naming the file."""
        try:
            return self._db.execute(sql).fetchall()
        except sqlite3.Error as exc:
            if _code(exc) in (*_UNWRITABLE, sqlite3.SQLITE_FULL, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise self._diagnose(exc, "read") from None
            raise self._fail(
                f"cannot be read ({exc})", "restore a backup or use another database file"
            ) from None

    def skills(self) -> dict[str, SkillState]:
        states = {}
        for r in self._read("SELECT skill, topic, card, due, last_review FROM skills"):
            try:
                card = json.loads(r["card"])
                if not isinstance(card, dict):
                    raise ValueError("not a JSON object")
                _check_card(card)
                due = parse_time(r["due"])
                last = parse_time(r["last_review"]) if r["last_review"] else None
            except (TypeError, ValueError) as exc:  # a row edited by hand, or damaged
                raise self._fail(
                    f"has a damaged schedule for skill {str(r['skill'])[:40]!r} ({exc})",
                    "restore a backup, or delete that row of the skills table to schedule it afresh",
                ) from None
            states[r["skill"]] = SkillState(r["skill"], r["topic"], card, due, last)
        return states

    def attempts(self) -> list[sqlite3.Row]:
        return self._read("SELECT * FROM attempts ORDER BY id")

    def last_results(self) -> dict[str, tuple[bool | None, str]]:
        """Each skill's latest graded result: (correct, answered_at)."""
        rows = self._read(
            """SELECT skill, correct, answered_at FROM attempts a
               WHERE skipped = 0 AND id = (SELECT MAX(id) FROM attempts b WHERE b.skill = a.skill AND skipped = 0)"""
        )
        return {
            r["skill"]: (None if r["correct"] is None else bool(r["correct"]), r["answered_at"]) for r in rows
        }

    def integrity(self) -> str:
        return str(self._read("PRAGMA integrity_check")[0][0])


def _check_card(card: dict[str, Any]) -> None:
    """Raise ValueError naming the field when a stored FSRS card holds what FSRS cannot use.

    The fields present are checked (a hand-edited `{"stability": "abc"}` was a KeyError traceback
    in FSRS); a missing one takes a new card's value (scheduler.card_from).
    """

    def number(name: str, low: float, high: float) -> None:
        value = card.get(name)
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"{name} {_brief(value)} is not a number")
        if not low <= value <= high:
            raise ValueError(f"{name} {value!r} is outside {low:g} to {high:g}")

    def integer(name: str, allowed: range) -> None:
        value = card.get(name)
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise ValueError(
                f"{name} {_brief(value)} is not one of FSRS's values ({allowed.start}-{allowed.stop - 1})"
            )

    def moment(name: str) -> None:
        value = card.get(name)
        if value is None:
            return
        if not isinstance(value, str):
            raise ValueError(f"{name} {_brief(value)} is not a date and time")
        when = parse_time(value)  # ValueError: Invalid isoformat string
        if when.tzinfo is None:
            raise ValueError(f"{name} {_brief(value)} has no time zone")

    integer("card_id", range(0, 2**63))
    integer("state", range(1, 4))
    integer("step", range(0, 1000))
    number("stability", 0.0, 1e9)
    number("difficulty", 0.0, 10.0)
    moment("due")
    moment("last_review")


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "..."
