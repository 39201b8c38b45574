"""The progress store: migrations, refusal of foreign or damaged files, transactions, concurrency."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizgen.store import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, Attempt, ProgressStore, StoreError

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
    assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


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
