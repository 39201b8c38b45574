"""The progress store: migrations, refusal of foreign or damaged files, transactions, concurrency."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from quizgen.store import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    Attempt,
    ProgressStore,
    SkillState,
    StoreError,
    _check_card,
    default_path,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def attempt(skill: str = "he-01", correct: bool | None = True) -> Attempt:
    return Attempt(
        skill=skill, topic="he", answer="2", correct=correct, response_ms=1500, variant=None, seed=None
    )


def test_a_new_file_gets_the_whole_schema(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "progress.db"
    with ProgressStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 3
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA application_id").fetchone()[0] == 0x51475A31 == 1363630641  # "QGZ1"
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()
    assert path.read_bytes()[68:72] == b"QGZ1"  # the application id field of SQLite's file header


def test_an_empty_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with ProgressStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_migration_from_the_previous_schema_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    raw = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        raw.execute(statement)
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.execute("PRAGMA user_version = 1")
    raw.execute(
        "INSERT INTO attempts (answered_at, skill, topic, answer, correct, response_ms) "
        "VALUES ('2025-12-01T10:00:00.000+00:00', 'xavier-01', 'xavier', '1', 1, 2000)"
    )
    raw.commit()
    raw.close()
    with ProgressStore(path) as store:
        assert store.schema_version == 3
        (row,) = store.attempts()
        assert (row["skill"], row["correct"], row["hint_used"], row["skipped"], row["session_id"]) == (
            "xavier-01",
            1,
            0,
            0,
            None,
        )
        store.record(attempt(), T0)
        assert len(store.attempts()) == 2
        with pytest.raises(StoreError, match="recorded by an older quizgen; nothing was changed"):
            store.undo(int(store.attempts()[0]["id"]))  # a row from before undo existed is left alone


def test_a_damaged_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=rf"^{path}: is not a SQLite database, or is damaged"):
        ProgressStore(path)
    assert path.read_bytes() == before


def test_a_truncated_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    with ProgressStore(path) as store:
        for n in range(200):
            store.record(attempt(f"skill-{n}"), T0)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\x00" * 7 + data[len(data) // 2 + 7 :][:100])
    before = path.read_bytes()
    with pytest.raises(StoreError, match=str(path)):
        ProgressStore(path)
    assert path.read_bytes() == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE notes (text TEXT)")
    raw.commit()
    raw.close()
    with pytest.raises(
        StoreError, match=r"not a quizgen progress store \(tables: notes\); use another database file"
    ):
        ProgressStore(path)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.execute("PRAGMA user_version = 99")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="written by a newer quizgen"):
        ProgressStore(path)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        ProgressStore(tmp_path)


def test_records_and_schedule_round_trip(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.db") as store:
        session = store.start_session(seed=3, planned=2, when=T0)
        card = {"card_id": 1, "state": 2, "stability": 3.2}
        store.record(attempt(), T0, session, (card, T0 + timedelta(days=3)))
        store.record(
            attempt(correct=False), T0 + timedelta(minutes=1), session, (card, T0 + timedelta(minutes=11))
        )
        store.end_session(session, T0 + timedelta(minutes=2))
        (state,) = store.skills().values()
        assert (state.skill, state.card, state.due) == ("he-01", card, T0 + timedelta(minutes=11))
        assert [a["correct"] for a in store.attempts()] == [1, 0]
        assert store.last_results() == {"he-01": (False, "2026-01-05T09:01:00.000+00:00")}
        assert store.integrity() == "ok"


def test_a_waiting_writer_succeeds_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    ProgressStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release() -> None:
        time.sleep(0.3)
        holder.execute("COMMIT")
        released.set()

    threading.Thread(target=release).start()
    with ProgressStore(path) as store:
        store.record(attempt(), T0)  # waits for the lock, then commits
        assert released.is_set()
        assert len(store.attempts()) == 1


def test_two_stores_interleave_without_losing_rows(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    errors: list[BaseException] = []

    def write(prefix: str) -> None:
        try:
            with ProgressStore(path) as store:
                for n in range(50):
                    store.record(attempt(f"{prefix}-{n}"), T0)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with ProgressStore(path) as store:
        assert len(store.attempts()) == 100
        assert store.integrity() == "ok"


def test_fresh_stores_opened_at_once_agree(tmp_path: Path) -> None:
    """Several drills starting on a new file at the same moment: one migrates, none fails.

    Before the header was read in one snapshot, a store could see the tables another had
    just created without its application id, and refuse a fresh quizgen store as foreign.
    """
    for round_ in range(25):
        path = tmp_path / f"fresh-{round_}.db"
        errors: list[BaseException] = []
        start = threading.Barrier(4)
        threads = [
            threading.Thread(target=_open_and_write, args=(path, f"s{n}", start, errors)) for n in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors[0]
        with ProgressStore(path) as store:
            assert len(store.attempts()) == 4
            assert store.schema_version == SCHEMA_VERSION


def _open_and_write(path: Path, name: str, start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        start.wait()
        with ProgressStore(path) as store:
            store.record(attempt(name), T0)
    except BaseException as exc:  # pragma: no cover - reported by the caller
        errors.append(exc)


def test_a_lock_held_too_long_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import quizgen.store

    monkeypatch.setattr(quizgen.store, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "p.db"
    with ProgressStore(path) as store:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(
            StoreError, match=rf"^{path}: is still locked by another program after 0.1 s; close"
        ):
            store.record(attempt(), T0)
        holder.execute("COMMIT")
        holder.close()
        store.record(attempt(), T0)  # the store is still usable once the lock is gone
        assert len(store.attempts()) == 1


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("card", "{not json", "has a damaged schedule for skill 'layer-size' (Expecting property name"),
        ("card", "[1, 2]", "has a damaged schedule for skill 'layer-size' (not a JSON object)"),
        ("due", "yesterday", "has a damaged schedule for skill 'layer-size' (Invalid isoformat string"),
    ],
)
def test_a_hand_edited_schedule_is_a_clear_error(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    path = tmp_path / "p.db"
    with ProgressStore(path) as store:
        store.record(attempt("layer-size"), T0, schedule=({"stability": 1.0}, T0))
    with sqlite3.connect(path) as raw:
        raw.execute(f"UPDATE skills SET {column} = ?", (value,))
    with ProgressStore(path) as store:
        with pytest.raises(StoreError, match=re.escape(f"{path}: {message}")) as info:
            store.skills()
        assert "delete that row of the skills table" in str(info.value)
        assert len(store.attempts()) == 1  # the answers are still there


def test_the_drill_reports_a_damaged_schedule_without_a_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quizgen.cli import main

    path = tmp_path / "p.db"
    with ProgressStore(path) as store:
        store.record(attempt("layer-size"), T0, schedule=({"stability": 1.0}, T0))
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE skills SET card = '{oops'")
    for command in (["drill", "--count", "1"], ["stats"]):
        result = CliRunner().invoke(main, [*command, "--db", str(path)], input="q\n")
        assert result.exit_code == 1, (command, result.output)
        assert "damaged schedule for skill 'layer-size'" in result.output
        assert "Traceback" not in result.output


def test_each_migration_is_a_list_of_single_statements() -> None:
    """Migrations are never text split on ";" (which would cut a statement with ";" in a string):
    each entry is one statement, which `execute` (one statement at a time) runs as written."""
    raw = sqlite3.connect(":memory:")
    for migration in MIGRATIONS:
        assert isinstance(migration, tuple) and migration
        for statement in migration:
            assert sqlite3.complete_statement(statement + ";")
            raw.execute(statement)  # raises "You can only execute one statement at a time" otherwise
    assert {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {
        "attempts",
        "skills",
        "sessions",
    }


def test_undo_puts_the_previous_schedule_back_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with ProgressStore(path) as store:
        store.record(attempt(), T0, None, ({"card_id": 1, "stability": 3.25}, T0 + timedelta(days=3)))
        raw = sqlite3.connect(path)
        before = raw.execute("SELECT * FROM skills").fetchall()
        later = store.record(
            attempt(correct=False),
            T0 + timedelta(days=3),
            None,
            ({"card_id": 1}, T0 + timedelta(days=3, minutes=1)),
        )
        assert raw.execute("SELECT * FROM skills").fetchall() != before
        store.undo(later)
        assert raw.execute("SELECT * FROM skills").fetchall() == before
        assert raw.execute("SELECT answer, correct FROM attempts").fetchall() == [("2", 1)]
        raw.close()


def test_only_a_skills_latest_answer_can_be_undone_or_rerated(tmp_path: Path) -> None:
    """Another drill answered the same skill since: undo and re-rating refuse, and change nothing."""
    with ProgressStore(tmp_path / "p.db") as store:
        first = store.record(attempt(), T0, None, ({"card_id": 1}, T0 + timedelta(days=1)))
        store.record(attempt(), T0 + timedelta(minutes=1), None, ({"card_id": 1}, T0 + timedelta(days=2)))
        with pytest.raises(StoreError, match="a later answer to 'he-01' was recorded since"):
            store.undo(first)
        with pytest.raises(StoreError, match="a later answer to 'he-01' was recorded since"):
            store.rerate(first, 1, ({"card_id": 1}, T0))
        assert len(store.attempts()) == 2
        assert store.skills()["he-01"].due == T0 + timedelta(days=2)
        with pytest.raises(StoreError, match="that answer is no longer recorded"):
            store.undo(999)


# -- pinned by mutation testing (issue 16): every expected value below is written out ---------------

PATH_FREE = 10**12  # free bytes on a roomy disk


def sqlite_error(code: int | None, text: str) -> sqlite3.OperationalError:
    """An error as SQLite raises it, with its (possibly extended) result code."""
    exc = sqlite3.OperationalError(text)
    if code is not None:
        exc.sqlite_errorcode = code
    return exc


def unopened(path: Path) -> ProgressStore:
    """A store object that has not touched its file: enough for the methods that only report."""
    store = ProgressStore.__new__(ProgressStore)
    store.path = path
    return store


def connect_with(monkeypatch: pytest.MonkeyPatch, execute: Callable[..., object]) -> None:
    """Open stores on a connection whose ``execute(db, sql, *args)`` is ``execute`` (it calls the real
    one through ``sqlite3.Connection.execute`` when it has nothing to fake)."""

    class Faked(sqlite3.Connection):
        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
            return execute(self, sql, *args)  # type: ignore[no-any-return]

    def connect(self: ProgressStore) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, factory=Faked)
        db.row_factory = sqlite3.Row
        return db

    monkeypatch.setattr(ProgressStore, "_connect", connect)


def fail_on(prefix: str, error: BaseException) -> Callable[..., object]:
    def execute(db: sqlite3.Connection, sql: str, *args: object) -> object:
        if sql.strip().startswith(prefix):
            raise error
        return sqlite3.Connection.execute(db, sql, *args)

    return execute


def test_the_header_bytes_and_ids_are_written_out(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "p.db"  # two folders to create: mkdir(parents=True)
    with ProgressStore(path) as store:
        assert store.start_session(seed=1, planned=2, when=T0) == 1
        assert store.start_session(seed=None, planned=3, when=T0) == 2
        assert store.record(attempt(), T0) == 1
        assert store.record(attempt(), T0) == 2
        assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000  # 10 s


def test_a_record_stores_every_column_and_the_schedule_before(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.db") as store:
        session = store.start_session(seed=7, planned=1, when=T0)
        first = Attempt(skill="he-01", topic="he", answer="2", correct=None, response_ms=1500)
        store.record(first, T0, session, ({"card_id": 1}, T0 + timedelta(days=1)))
        rated = Attempt("he-01", "he", "3", True, 900, variant="v2", seed=11, rating=3)
        store.record(rated, T0 + timedelta(minutes=1), session)
        rows = [dict(row) for row in store.attempts()]
    assert rows[0] == {
        "id": 1,
        "answered_at": "2026-01-05T09:00:00.000+00:00",
        "skill": "he-01",
        "topic": "he",
        "variant": None,
        "seed": None,
        "answer": "2",
        "correct": None,  # ungraded stays NULL
        "response_ms": 1500,
        "session_id": 1,
        "hint_used": 0,  # the defaults: no hint, not skipped
        "skipped": 0,
        "rating": None,
        "proposed_rating": None,
        "schedule_before": '{"row": null}',  # the skill had no schedule yet
    }
    assert (rows[1]["variant"], rows[1]["seed"], rows[1]["correct"]) == ("v2", 11, 1)
    assert (rows[1]["rating"], rows[1]["proposed_rating"]) == (3, 3)
    assert json.loads(rows[1]["schedule_before"]) == {
        "row": {
            "topic": "he",
            "card": '{"card_id": 1}',
            "due": "2026-01-06T09:00:00.000+00:00",
            "last_review": "2026-01-05T09:00:00.000+00:00",
        }
    }


def test_attempts_and_skill_states_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        attempt().answer = "3"  # type: ignore[misc]
    state = SkillState("he-01", "he", {}, T0, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.due = T0  # type: ignore[misc]


def test_the_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QUIZGEN_DB", str(tmp_path / "mine.db"))
    assert default_path() == tmp_path / "mine.db"
    monkeypatch.delenv("QUIZGEN_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # platformdirs' folder on Linux
    if sys.platform.startswith("linux"):
        assert default_path() == tmp_path / "data" / "quizgen" / "progress.db"
    else:  # pragma: no cover - the layout is the platform's
        assert default_path().name == "progress.db"


def test_last_review_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with ProgressStore(path) as store:
        store.record(attempt("kept"), T0, None, ({"card_id": 1}, T0 + timedelta(days=1)))
    with sqlite3.connect(path) as raw:  # a row without a last review (NULL)
        raw.execute("INSERT INTO skills VALUES ('fresh', 'he', '{}', '2026-01-06T09:00:00.000+00:00', NULL)")
    with ProgressStore(path) as store:
        states = store.skills()
    assert states["kept"].last_review == datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    assert states["kept"].topic == "he"
    assert states["fresh"].last_review is None
    assert states["fresh"].due == datetime(2026, 1, 6, 9, 0, tzinfo=UTC)
    assert states["fresh"].card == {}


LONG_SKILL = "s" * 50  # messages keep the first 40 characters


@pytest.mark.parametrize(
    ("skill", "column", "value", "reason"),
    [
        # a BLOB keeps its type in a TEXT column: a TypeError, not a ValueError
        ("he-01", "due", b"2026-01-05", "fromisoformat: argument must be str"),
        ("he-01", "last_review", b"2026-01-05", "fromisoformat: argument must be str"),
        (LONG_SKILL, "card", "[]", "not a JSON object"),  # the skill cut to 40 characters
    ],
)
def test_a_schedule_row_of_the_wrong_type_is_a_clear_error(
    tmp_path: Path, skill: str, column: str, value: object, reason: str
) -> None:
    path = tmp_path / "p.db"
    with ProgressStore(path) as store:
        store.record(attempt(skill), T0, None, ({"card_id": 1}, T0))
    with sqlite3.connect(path) as raw:
        raw.execute(f"UPDATE skills SET {column} = ?", (value,))
    with ProgressStore(path) as store, pytest.raises(StoreError) as info:
        store.skills()
    shown = "he-01" if skill == "he-01" else "s" * 40
    assert str(info.value) == (
        f"{path}: has a damaged schedule for skill '{shown}' ({reason}); "
        "restore a backup, or delete that row of the skills table to schedule it afresh"
    )


def test_last_results_keep_an_ungraded_answer_and_leave_out_skips(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.db") as store:
        store.record(attempt("a", correct=None), T0)
        store.record(attempt("b", correct=True), T0)
        skip = Attempt("b", "he", "", None, 100, skipped=True)
        store.record(skip, T0 + timedelta(minutes=1))
        assert store.last_results() == {
            "a": (None, "2026-01-05T09:00:00.000+00:00"),
            "b": (True, "2026-01-05T09:00:00.000+00:00"),  # the later skip is not a result
        }


# -- opening: the folder, the header, the checks ----------------------------------------------------


def test_a_folder_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    path = tmp_path / "plain" / "sub" / "p.db"
    with pytest.raises(StoreError) as info:
        ProgressStore(path)
    assert str(info.value) == (
        f"{path}: cannot create its folder (Not a directory); use a database file in a writable folder"
    )


def test_a_file_sqlite_cannot_open_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite_error(14, "unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    path = tmp_path / "p.db"
    with pytest.raises(StoreError) as info:
        ProgressStore(path)
    assert str(info.value) == (
        f"{path}: cannot open (unable to open database file); use a database file in a writable folder"
    )


def test_a_refused_file_leaves_no_connection_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[sqlite3.Connection] = []
    connect = ProgressStore._connect

    def keep(self: ProgressStore) -> sqlite3.Connection:
        opened.append(connect(self))
        return opened[-1]

    monkeypatch.setattr(ProgressStore, "_connect", keep)
    path = tmp_path / "p.db"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError):
        ProgressStore(path)
    with pytest.raises(sqlite3.ProgrammingError, match="Cannot operate on a closed database"):
        opened[0].execute("SELECT 1")


@pytest.mark.parametrize(
    ("application_id", "version", "tables", "message"),
    [
        # another program's id above quizgen's (0x60000000 > 0x51475A31), with a table
        (0x60000000, 0, True, "is a SQLite database but not a quizgen progress store (tables: notes)"),
        # no tables but a schema version: someone's database all the same
        (0, 5, False, "is a SQLite database but not a quizgen progress store (tables: none)"),
    ],
)
def test_a_foreign_header_is_refused(
    tmp_path: Path, application_id: int, version: int, tables: bool, message: str
) -> None:
    path = tmp_path / "other.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA application_id = {application_id}")
    raw.execute(f"PRAGMA user_version = {version}")
    if tables:
        raw.execute("CREATE TABLE notes (text TEXT)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError) as info:
        ProgressStore(path)
    assert str(info.value) == f"{path}: {message}; use another database file; quizgen never overwrites it"


def test_the_next_schema_is_refused_with_both_numbers(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA application_id = 1363630641")
    raw.execute("PRAGMA user_version = 4")  # one above the 3 this quizgen knows
    raw.commit()
    raw.close()
    with pytest.raises(StoreError) as info:
        ProgressStore(path)
    assert str(info.value) == (
        f"{path}: was written by a newer quizgen (schema 4, this one knows 3); "
        "upgrade quizgen (pip install -U quizgen)"
    )


@pytest.mark.parametrize("on_disk", [1, 3])
def test_a_migration_another_process_made_meanwhile_is_not_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_disk: int
) -> None:
    """The header said schema 0, but by the time each migration starts the file is at `on_disk`
    (another drill migrated it): those migrations are skipped, the rest run, no row is lost."""
    path = tmp_path / "p.db"
    raw = sqlite3.connect(path)
    for number in range(on_disk):
        for statement in MIGRATIONS[number]:
            raw.execute(statement)
    raw.execute("PRAGMA application_id = 1363630641")
    raw.execute(f"PRAGMA user_version = {on_disk}")
    raw.execute(
        "INSERT INTO attempts (answered_at, skill, topic, answer, correct, response_ms) "
        "VALUES ('2025-12-01T10:00:00.000+00:00', 'xavier-01', 'xavier', '1', 1, 2000)"
    )
    raw.commit()
    raw.close()
    monkeypatch.setattr(ProgressStore, "_read_header", lambda self: (1363630641, 0, []))
    with ProgressStore(path) as store:
        assert store.schema_version == 3
        assert [row["skill"] for row in store.attempts()] == ["xavier-01"]


def test_a_header_that_cannot_be_read_is_called_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(self: ProgressStore) -> tuple[int, int, list[str]]:
        raise sqlite_error(1, "SQL logic error")  # SQLITE_ERROR: neither "damaged" nor "unwritable"

    monkeypatch.setattr(ProgressStore, "_read_header", unreadable)
    path = tmp_path / "p.db"
    with pytest.raises(StoreError) as info:
        ProgressStore(path)
    assert str(info.value) == (
        f"{path}: is not a SQLite database, or is damaged (SQL logic error); "
        "move it away or use another database file; quizgen never overwrites it"
    )


def quick_check_says(row: str) -> Callable[..., object]:
    def execute(db: sqlite3.Connection, sql: str, *args: object) -> object:
        if sql == "PRAGMA quick_check":
            return sqlite3.Connection.execute(db, "SELECT ?", (row,))
        return sqlite3.Connection.execute(db, sql, *args)

    return execute


@pytest.mark.parametrize(
    ("execute", "message"),
    [
        # a first row sorting after "ok", and one sorting before it
        (
            quick_check_says("wrong # of entries in index skills_due"),
            "is damaged (wrong # of entries in index skills_due); restore a backup or use another database file",
        ),
        (
            quick_check_says("*** in database main ***\nPage 3: never used"),
            "is damaged (*** in database main ***\nPage 3: never used); restore a backup or use another "
            "database file",
        ),
        # the check itself fails: a damaged file, and a busy one
        (
            fail_on("PRAGMA quick_check", sqlite_error(11, "database disk image is malformed")),
            "is damaged (database disk image is malformed); restore a backup or use another database file",
        ),
        (
            fail_on("PRAGMA quick_check", sqlite_error(5, "database is locked")),
            "is still locked by another program after 10 s; close the other quizgen using it and try "
            "again, or use another database file",
        ),
    ],
)
def test_the_quick_check_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, execute: Callable[..., object], message: str
) -> None:
    connect_with(monkeypatch, execute)
    path = tmp_path / "p.db"
    with pytest.raises(StoreError) as info:
        ProgressStore(path)
    assert str(info.value) == f"{path}: {message}"


# -- _use_wal: retried while busy, until the deadline -----------------------------------------------


class FakeClock:
    """time.monotonic and time.sleep for _use_wal: readings from a list (or a fixed one), pauses kept."""

    def __init__(self, readings: list[float] | None = None, fixed: float = 100.0) -> None:
        self.readings = readings
        self.fixed = fixed
        self.pauses: list[float] = []

    def monotonic(self) -> float:
        if self.readings is None:
            return self.fixed
        return self.readings.pop(0)  # IndexError: read once more than the test expects

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)


class BusyConnection:
    """Answers "PRAGMA journal_mode = WAL" with `error` `times` times, then with "wal"."""

    def __init__(self, times: int, error: sqlite3.OperationalError) -> None:
        self.times = times
        self.error = error
        self.calls = 0

    def execute(self, sql: str) -> BusyConnection:
        assert sql == "PRAGMA journal_mode = WAL"
        self.calls += 1
        if self.calls <= self.times:
            raise self.error
        return self

    def fetchall(self) -> list[tuple[str]]:
        return [("wal",)]


def use_wal(monkeypatch: pytest.MonkeyPatch, clock: FakeClock, db: BusyConnection) -> None:
    import quizgen.store

    monkeypatch.setattr(quizgen.store, "time", clock)
    store = unopened(Path("p.db"))
    store._db = db  # type: ignore[assignment]
    store._use_wal()


BUSY = sqlite_error(5, "database is locked")


def test_wal_is_retried_with_doubling_pauses_up_to_50_ms(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()  # the clock stands still: the deadline is never reached
    db = BusyConnection(9, BUSY)
    use_wal(monkeypatch, clock, db)
    assert db.calls == 10  # nine busy answers, then WAL
    assert clock.pauses == pytest.approx([0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.05, 0.05, 0.05])


def test_wal_retries_on_an_extended_busy_code_and_a_locked_table(monkeypatch: pytest.MonkeyPatch) -> None:
    for error in (sqlite_error(517, "database is locked"), sqlite_error(6, "database table is locked")):
        clock = FakeClock()  # 517 = SQLITE_BUSY_SNAPSHOT (5 + 2 * 256); 6 = SQLITE_LOCKED
        db = BusyConnection(1, error)
        use_wal(monkeypatch, clock, db)
        assert (db.calls, clock.pauses) == (2, [0.001])


@pytest.mark.parametrize(
    ("readings", "pauses"),
    [
        ([100.0, 109.999, 110.0], [0.001]),  # start, 1 ms before the 10 s deadline, at the deadline
        ([100.0, 110.5], []),  # past the deadline at the first failure: no pause
    ],
)
def test_wal_gives_up_at_the_deadline(
    monkeypatch: pytest.MonkeyPatch, readings: list[float], pauses: list[float]
) -> None:
    clock = FakeClock(readings)
    db = BusyConnection(10**6, BUSY)
    with pytest.raises(sqlite3.OperationalError) as info:
        use_wal(monkeypatch, clock, db)
    assert info.value is BUSY
    assert clock.pauses == pauses
    assert clock.readings == []  # every reading used, none more


def test_wal_deadline_follows_the_busy_timeout_in_milliseconds(monkeypatch: pytest.MonkeyPatch) -> None:
    import quizgen.store

    monkeypatch.setattr(quizgen.store, "BUSY_TIMEOUT_MS", 1500)  # 1.5 s: not a whole number of seconds
    clock = FakeClock([100.0, 101.0, 101.5])  # start, 0.5 s before the deadline, at the deadline
    with pytest.raises(sqlite3.OperationalError):
        use_wal(monkeypatch, clock, BusyConnection(10**6, BUSY))
    assert clock.pauses == [0.001]
    assert clock.readings == []


def test_wal_is_not_retried_after_another_error(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock([100.0, 100.0])
    error = sqlite_error(8, "attempt to write a readonly database")
    with pytest.raises(sqlite3.OperationalError) as info:
        use_wal(monkeypatch, clock, BusyConnection(1, error))
    assert info.value is error
    assert clock.pauses == []


# -- _diagnose: every SQLite failure in one line ----------------------------------------------------

FULL_FIX = "free some space and try again, or use a database file on another disk"
IOERR_FIX = "check the disk (is it full, removed, or failing?) and try again, or use another database file"
GENERIC_FIX = "check the disk and its permissions, or use another database file"
DAMAGED_FIX = "move it away or use another database file; quizgen never overwrites it"
BUSY_TEXT = (
    "is still locked by another program after 10 s; "
    "close the other quizgen using it and try again, or use another database file"
)


@pytest.mark.parametrize(
    ("code", "text", "free", "expected"),
    [
        (5, "database is locked", PATH_FREE, BUSY_TEXT),  # SQLITE_BUSY
        (6, "database table is locked", PATH_FREE, BUSY_TEXT),  # SQLITE_LOCKED
        (517, "database is locked", PATH_FREE, BUSY_TEXT),  # SQLITE_BUSY_SNAPSHOT: 5 + 2 * 256
        (
            13,
            "database or disk is full",
            PATH_FREE,
            f"cannot be written: the disk is full (SQLite says: database or disk is full); {FULL_FIX}",
        ),  # SQLITE_FULL, whatever the free space
        # SQLITE_IOERR: below 1 MiB (1,048,576 bytes) free, the disk is called full
        (
            10,
            "disk I/O error",
            1_048_575,
            "cannot be written: the disk is full (1,048,575 bytes free; "
            f"SQLite says: disk I/O error); {FULL_FIX}",
        ),
        (
            10,
            "disk I/O error",
            0,
            f"cannot be written: the disk is full (0 bytes free; SQLite says: disk I/O error); {FULL_FIX}",
        ),
        (
            10,
            "disk I/O error",
            1_048_576,
            f"cannot be written: the disk reported an error (disk I/O error); {IOERR_FIX}",
        ),
        (
            10,
            "disk I/O error",
            PATH_FREE,
            f"cannot be written: the disk reported an error (disk I/O error); {IOERR_FIX}",
        ),
        (
            10,
            "disk I/O error",
            None,
            f"cannot be written: the disk reported an error (disk I/O error); {IOERR_FIX}",
        ),
        # SQLITE_IOERR_WRITE (10 + 3 * 256): the primary code is the low byte
        (
            778,
            "disk I/O error",
            PATH_FREE,
            f"cannot be written: the disk reported an error (disk I/O error); {IOERR_FIX}",
        ),
        (
            8,
            "attempt to write a readonly database",
            1_048_575,
            "cannot be written: the disk is full "
            f"(1,048,575 bytes free; SQLite says: attempt to write a readonly database); {FULL_FIX}",
        ),
        # unwritable codes with a writable folder and file: neither full nor read-only
        (
            8,
            "attempt to write a readonly database",
            PATH_FREE,
            f"cannot be written (attempt to write a readonly database); {GENERIC_FIX}",
        ),  # SQLITE_READONLY
        (
            14,
            "unable to open database file",
            PATH_FREE,
            f"cannot be written (unable to open database file); {GENERIC_FIX}",
        ),  # SQLITE_CANTOPEN (14, just above FULL's 13)
        (
            3,
            "access permission denied",
            PATH_FREE,
            f"cannot be written (access permission denied); {GENERIC_FIX}",
        ),  # SQLITE_PERM (3, below IOERR's 10)
        # damaged: whatever the free space
        (
            11,
            "database disk image is malformed",
            1_048_575,
            f"is not a SQLite database, or is damaged (database disk image is malformed); {DAMAGED_FIX}",
        ),  # SQLITE_CORRUPT
        (
            26,
            "file is not a database",
            PATH_FREE,
            f"is not a SQLite database, or is damaged (file is not a database); {DAMAGED_FIX}",
        ),  # SQLITE_NOTADB
        # anything else, with or without a code (SQLITE_ERROR = 1, SQLITE_CONSTRAINT = 19)
        (1, "SQL logic error", 1_048_575, f"cannot be written (SQL logic error); {GENERIC_FIX}"),
        (
            19,
            "NOT NULL constraint failed: t.x",
            PATH_FREE,
            f"cannot be written (NOT NULL constraint failed: t.x); {GENERIC_FIX}",
        ),
        (None, "no code", PATH_FREE, f"cannot be written (no code); {GENERIC_FIX}"),
    ],
)
def test_a_write_failure_is_diagnosed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    code: int | None,
    text: str,
    free: int | None,
    expected: str,
) -> None:
    import quizgen.store

    def disk_usage(folder: Path) -> SimpleNamespace:
        assert folder == tmp_path
        if free is None:
            raise OSError("no such device")
        return SimpleNamespace(free=free)

    monkeypatch.setattr(quizgen.store, "shutil", SimpleNamespace(disk_usage=disk_usage))
    monkeypatch.setattr(quizgen.store, "_writable", lambda path: True)
    path = tmp_path / "p.db"
    path.touch()
    assert str(unopened(path)._diagnose(sqlite_error(code, text), "written")) == f"{path}: {expected}"


@pytest.mark.parametrize(
    ("code", "text", "read_only", "exists", "expected"),
    [
        # the folder: SQLite cannot make its journal files there
        (
            8,
            "attempt to write a readonly database",
            {"folder", "file"},
            True,
            "cannot be written: its folder "
            "{folder} is read-only, and SQLite must create its journal files (p.db-wal, p.db-shm) next to it "
            "(attempt to write a readonly database); make the folder writable (chmod u+w {folder}) or use a "
            "database file in a writable folder",
        ),
        (
            14,
            "unable to open database file",
            {"folder"},
            True,
            "cannot be written: its folder "
            "{folder} is read-only, and SQLite must create its journal files (p.db-wal, p.db-shm) next to it "
            "(unable to open database file); make the folder writable (chmod u+w {folder}) or use a "
            "database file in a writable folder",
        ),
        # the file itself
        (
            8,
            "attempt to write a readonly database",
            {"file"},
            True,
            "cannot be written: the file is "
            "read-only (attempt to write a readonly database); make it writable (chmod u+w {path}) or use "
            "another database file",
        ),
        # a file that does not exist is not read-only
        (
            8,
            "attempt to write a readonly database",
            {"file"},
            False,
            f"cannot be written (attempt to write a readonly database); {GENERIC_FIX}",
        ),
        # a damaged file is damaged, read-only or not
        (
            11,
            "database disk image is malformed",
            {"folder", "file"},
            True,
            f"is not a SQLite database, or is damaged (database disk image is malformed); {DAMAGED_FIX}",
        ),
    ],
)
def test_a_read_only_folder_or_file_is_named(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    text: str,
    read_only: set[str],
    exists: bool,
    expected: str,
) -> None:
    """`_writable` is faked: the tests may run as root, whom chmod does not stop."""
    import quizgen.store

    path = tmp_path / "p.db"
    if exists:
        path.touch()
    names = {tmp_path: "folder", path: "file"}
    monkeypatch.setattr(quizgen.store, "_writable", lambda p: names[p] not in read_only)
    monkeypatch.setattr(
        quizgen.store, "shutil", SimpleNamespace(disk_usage=lambda p: SimpleNamespace(free=PATH_FREE))
    )
    message = str(unopened(path)._diagnose(sqlite_error(code, text), "written"))
    assert message == f"{path}: " + expected.format(folder=tmp_path, path=path)


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        # opening: what is neither unwritable nor busy is taken for a damaged file
        (1, "SQL logic error", f"is not a SQLite database, or is damaged (SQL logic error); {DAMAGED_FIX}"),
        (None, "no code", f"is not a SQLite database, or is damaged (no code); {DAMAGED_FIX}"),
        # but an unwritable code on a writable folder and file is not
        (
            8,
            "attempt to write a readonly database",
            f"cannot be opened (attempt to write a readonly database); {GENERIC_FIX}",
        ),
        (10, "disk I/O error", f"cannot be opened: the disk reported an error (disk I/O error); {IOERR_FIX}"),
    ],
)
def test_an_open_failure_is_diagnosed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int | None, text: str, expected: str
) -> None:
    import quizgen.store

    monkeypatch.setattr(quizgen.store, "_writable", lambda path: True)
    monkeypatch.setattr(
        quizgen.store, "shutil", SimpleNamespace(disk_usage=lambda p: SimpleNamespace(free=PATH_FREE))
    )
    path = tmp_path / "p.db"
    path.touch()
    message = str(unopened(path)._diagnose(sqlite_error(code, text), "opened", damaged_by_default=True))
    assert message == f"{path}: {expected}"


# -- transactions and reads -------------------------------------------------------------------------


def test_a_failed_write_is_rolled_back_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with ProgressStore(path) as store:
        bad = Attempt("he-01", "he", None, True, 1500)  # type: ignore[arg-type]
        with pytest.raises(StoreError) as info:
            store.record(bad, T0)
        assert str(info.value) == (
            f"{path}: cannot be written (NOT NULL constraint failed: attempts.answer); {GENERIC_FIX}"
        )
        store.record(attempt(), T0)  # the failed transaction did not stay open
        assert len(store.attempts()) == 1


def test_a_python_error_in_a_write_is_raised_as_it_is_and_rolled_back(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.db") as store:
        with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
            store.record(attempt(), T0, None, ({"card_id": {1, 2}}, T0))  # type: ignore[dict-item]
        assert store.attempts() == []  # the attempt inserted before the failure was rolled back
        assert store.skills() == {}


def test_a_read_failure_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    store = ProgressStore(path)
    store.close()
    with pytest.raises(StoreError) as info:
        store.attempts()
    assert str(info.value) == (
        f"{path}: cannot be read (Cannot operate on a closed database.); "
        "restore a backup or use another database file"
    )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (sqlite_error(5, "database is locked"), BUSY_TEXT),
        (
            sqlite_error(10, "disk I/O error"),
            f"cannot be read: the disk reported an error (disk I/O error); {IOERR_FIX}",
        ),
        (
            sqlite_error(13, "database or disk is full"),
            f"cannot be read: the disk is full (SQLite says: database or disk is full); {FULL_FIX}",
        ),
        (
            sqlite_error(11, "database disk image is malformed"),
            "cannot be read (database disk image is "
            "malformed); restore a backup or use another database file",
        ),
    ],
)
def test_a_read_failure_is_diagnosed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: sqlite3.Error, expected: str
) -> None:
    import quizgen.store

    monkeypatch.setattr(
        quizgen.store, "shutil", SimpleNamespace(disk_usage=lambda p: SimpleNamespace(free=PATH_FREE))
    )
    connect_with(monkeypatch, fail_on("SELECT * FROM attempts", error))
    path = tmp_path / "p.db"
    with ProgressStore(path) as store, pytest.raises(StoreError) as info:
        store.attempts()
    assert str(info.value) == f"{path}: {expected}"


def test_integrity_reports_the_first_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = ["row 1 missing from index skills_due", "wrong # of entries in index skills_due"]
    seen = []

    def execute(db: sqlite3.Connection, sql: str, *args: object) -> object:
        if sql == "PRAGMA integrity_check":
            seen.append(sql)
            return sqlite3.Connection.execute(db, "SELECT ? UNION ALL SELECT ?", rows)
        return sqlite3.Connection.execute(db, sql, *args)

    connect_with(monkeypatch, execute)
    with ProgressStore(tmp_path / "p.db") as store:
        assert store.integrity() == "row 1 missing from index skills_due"
    assert seen == ["PRAGMA integrity_check"]


# -- undo and re-rating -----------------------------------------------------------------------------


def test_undoing_a_skills_first_answer_removes_its_schedule(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.db") as store:
        first = store.record(attempt(), T0, None, ({"card_id": 1}, T0 + timedelta(days=1)))
        assert list(store.skills()) == ["he-01"]
        store.undo(first)
        assert store.skills() == {}
        assert store.attempts() == []


def test_undoing_a_skip_leaves_the_schedule(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.db") as store:
        store.record(attempt(), T0, None, ({"card_id": 1}, T0 + timedelta(days=1)))
        skip = store.record(Attempt("he-01", "he", "", None, 100, skipped=True), T0 + timedelta(minutes=1))
        store.undo(skip)
        assert store.skills()["he-01"].due == T0 + timedelta(days=1)
        assert [row["skipped"] for row in store.attempts()] == [0]


def test_rerating_changes_the_rating_and_the_schedule(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with ProgressStore(path) as store:
        rated = Attempt("he-01", "he", "2", True, 1500, rating=3)
        later = T0 + timedelta(minutes=5)
        answer = store.record(rated, later, None, ({"card_id": 1, "state": 2}, T0 + timedelta(days=3)))
        store.rerate(answer, 1, ({"card_id": 1, "state": 3}, T0 + timedelta(minutes=15)))
        (row,) = store.attempts()
        assert (row["rating"], row["proposed_rating"]) == (1, 3)  # the student's, and quizgen's
        state = store.skills()["he-01"]
        assert (state.card, state.due, state.last_review) == (
            {"card_id": 1, "state": 3},
            T0 + timedelta(minutes=15),
            T0 + timedelta(minutes=5),  # still the time of the answer
        )


def test_a_skip_cannot_be_rerated(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with ProgressStore(path) as store:
        skip = store.record(Attempt("he-01", "he", "", None, 100, skipped=True), T0)
        with pytest.raises(StoreError) as info:
            store.rerate(skip, 3, ({"card_id": 1}, T0))
        assert str(info.value) == (
            f"{path}: cannot change the rating of a skipped question; nothing was changed"
        )
        assert store.attempts()[0]["rating"] is None


def test_a_large_attempt_id_can_be_undone(tmp_path: Path) -> None:
    """Ids are compared by value (1000 is past the integers Python keeps one copy of)."""
    path = tmp_path / "p.db"
    ProgressStore(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute(
            "INSERT INTO attempts (id, answered_at, skill, topic, answer, correct, response_ms) "
            "VALUES (999, '2025-12-01T10:00:00.000+00:00', 'other', 'he', '1', 1, 2000)"
        )
    with ProgressStore(path) as store:
        answer = store.record(attempt(), T0, None, ({"card_id": 1}, T0))
        assert answer == 1000
        store.undo(answer)
        assert [row["id"] for row in store.attempts()] == [999]


def test_refusals_name_the_answer(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with ProgressStore(path) as store:
        first = store.record(attempt(LONG_SKILL), T0, None, ({"card_id": 1}, T0))
        store.record(attempt(LONG_SKILL), T0, None, ({"card_id": 1}, T0))
        with pytest.raises(StoreError) as info:
            store.undo(first)
        assert str(info.value) == (
            f"{path}: cannot undo: a later answer to '{'s' * 40}' was recorded since "
            "(another drill on this database?); nothing was changed"
        )
        with pytest.raises(StoreError) as info:
            store.rerate(999, 3, ({"card_id": 1}, T0))
        assert str(info.value) == (
            f"{path}: cannot change the rating: that answer is no longer recorded; nothing was changed"
        )


# -- _check_card: what a stored FSRS card may hold --------------------------------------------------

AWARE = "2026-01-05T09:00:00+00:00"


@pytest.mark.parametrize(
    "card",
    [
        {},  # every field missing: a new card's values
        {"card_id": None, "state": None, "stability": None, "due": None},  # null is missing too
        {"card_id": 0},  # card_id: 0 to 2**63 - 1
        {"card_id": 9223372036854775807},
        {"state": 1},  # state: 1 to 3
        {"state": 3},
        {"step": 0},  # step: 0 to 999
        {"step": 999},
        {"stability": 0.0},  # stability: 0 to 1e9
        {"stability": 1e9},
        {"stability": 2},  # an int is a number
        {"difficulty": 0.0},  # difficulty: 0 to 10
        {"difficulty": 10.0},
        {"difficulty": 5.5},
        {"due": AWARE, "last_review": AWARE},
    ],
)
def test_a_card_fsrs_can_use_is_accepted(card: dict[str, object]) -> None:
    _check_card(card)


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ({"card_id": -1}, "card_id -1 is not one of FSRS's values (0-9223372036854775807)"),
        (
            {"card_id": 9223372036854775808},
            "card_id 9223372036854775808 is not one of FSRS's values (0-9223372036854775807)",
        ),
        ({"card_id": 1.0}, "card_id 1.0 is not one of FSRS's values (0-9223372036854775807)"),
        ({"state": 0}, "state 0 is not one of FSRS's values (1-3)"),
        ({"state": 4}, "state 4 is not one of FSRS's values (1-3)"),
        ({"state": 9}, "state 9 is not one of FSRS's values (1-3)"),
        ({"state": True}, "state True is not one of FSRS's values (1-3)"),  # a bool is not a state
        ({"state": 2.0}, "state 2.0 is not one of FSRS's values (1-3)"),  # nor a float
        ({"state": "2"}, "state '2' is not one of FSRS's values (1-3)"),
        ({"step": -1}, "step -1 is not one of FSRS's values (0-999)"),
        ({"step": 1000}, "step 1000 is not one of FSRS's values (0-999)"),
        ({"stability": -0.5}, "stability -0.5 is outside 0 to 1e+09"),
        ({"stability": 1000000000.5}, "stability 1000000000.5 is outside 0 to 1e+09"),
        ({"stability": True}, "stability True is not a number"),
        ({"stability": "abc"}, "stability 'abc' is not a number"),
        ({"stability": float("inf")}, "stability inf is not a number"),
        ({"stability": float("nan")}, "stability nan is not a number"),
        ({"difficulty": -0.5}, "difficulty -0.5 is outside 0 to 10"),
        ({"difficulty": 10.5}, "difficulty 10.5 is outside 0 to 10"),
        ({"difficulty": None, "stability": [1]}, "stability [1] is not a number"),
        ({"due": 12}, "due 12 is not a date and time"),
        ({"due": "yesterday"}, "Invalid isoformat string: 'yesterday'"),
        ({"last_review": "2026-01-05T09:00:00"}, "last_review '2026-01-05T09:00:00' has no time zone"),
        # _brief: a repr of 30 characters is shown whole, one of 31 cut to 27 and "..."
        ({"stability": "a" * 28}, "stability 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not a number"),
        ({"stability": "a" * 29}, "stability 'aaaaaaaaaaaaaaaaaaaaaaaaaa... is not a number"),
    ],
)
def test_a_card_fsrs_cannot_use_is_refused_by_field(card: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as info:
        _check_card(card)
    assert str(info.value) == message


def test_a_file_name_too_long_is_a_clear_error(tmp_path: Path) -> None:
    """A 300-character name is beyond every common file system's 255: Path.is_dir() raises on 3.11."""
    path = tmp_path / ("x" * 300)
    with pytest.raises(StoreError) as info:
        ProgressStore(path)
    assert str(info.value) == f"{path}: cannot be used (File name too long); use a shorter database file path"


def test_the_cli_reports_a_file_name_too_long_in_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quizgen.cli import main

    path = tmp_path / ("x" * 300)
    result = CliRunner().invoke(main, ["stats", "--db", str(path)], env={"NO_COLOR": "1"})
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "cannot be used (File name too long); use a shorter database file path" in result.output
