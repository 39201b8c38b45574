"""The bank cache: a hit skips YAML, any edit misses, and a bad or planted cache file is only a miss.

The design is in bankcache.py's docstring and docs/architecture.md: a trusted folder only,
entries opened without following links, size-capped, with a digest of their own bytes,
and the loader's cross-file checks run on every hit.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import quizgen
from quizgen import bankcache, yamlsource
from quizgen.bank import QuestionBank
from quizgen.resources import bundled_bank_files

from .conftest import VALID_CHOICE, WriteBank


def load_banks(*args: object, **kwargs: object) -> QuestionBank:
    """What the CLI does: load with the cache (the library's default is no cache)."""
    return quizgen.load_banks(*args, **{"cache": True, **kwargs})  # type: ignore[arg-type]


def cache_files() -> list[Path]:
    folder = bankcache.folder()
    assert folder is not None
    return sorted(folder.glob("banks-*.json"))


def test_a_second_load_comes_from_the_cache(write_bank: WriteBank, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_bank(VALID_CHOICE)
    first = load_banks([path])
    assert len(cache_files()) == 1

    def no_yaml(*args: object) -> None:
        raise AssertionError("YAML was parsed although the cache holds this bank set")

    monkeypatch.setattr(yamlsource, "parse", no_yaml)
    second = load_banks([path])
    assert second.questions == first.questions
    assert second.templates == first.templates
    assert second.locations == first.locations
    assert list(second.generators) == list(first.generators)


def test_editing_a_file_misses(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE)
    load_banks([path])
    path.write_text(VALID_CHOICE.replace("In Xavier", "Under Xavier"), encoding="utf-8")
    assert "Under Xavier" in load_banks([path]).get("q-01").prompt
    assert len(cache_files()) == 2


def test_a_damaged_or_tampered_cache_is_only_a_miss(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE)
    expected = load_banks([path]).questions
    (cache,) = cache_files()
    cache.write_text("{not json", encoding="utf-8")
    assert load_banks([path]).questions == expected
    text = cache_files()[0].read_text(encoding="utf-8")
    assert '"answer": 1' in text
    cache_files()[0].write_text(text.replace('"answer": 1', '"answer": 9'), encoding="utf-8")
    assert load_banks([path]).questions == expected  # the models refuse it; the files are read again


def test_invalid_banks_are_never_cached(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE.replace("answer: 1", "answer: 4"))
    for _ in range(2):
        with pytest.raises(Exception, match="option 4 does not exist"):
            load_banks([path])
    assert cache_files() == []


def test_the_cache_can_be_turned_off_or_moved(
    write_bank: WriteBank, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", "off")
    load_banks([write_bank(VALID_CHOICE)])
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "elsewhere"))
    load_banks([write_bank(VALID_CHOICE)])
    assert len(list((tmp_path / "elsewhere").glob("banks-*.json"))) == 1


def test_an_unwritable_cache_folder_is_harmless(
    write_bank: WriteBank, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(blocker / "cache"))
    assert len(load_banks([write_bank(VALID_CHOICE)], include_bundled=False)) == 1


def test_old_entries_are_pruned(write_bank: WriteBank) -> None:
    for n in range(bankcache.KEEP + 3):
        load_banks(
            [write_bank(VALID_CHOICE.replace("q-01", f"q-{n:02d}"), f"b{n}.yaml")], include_bundled=False
        )
    assert len(cache_files()) == bankcache.KEEP


# -- issue 11, finding 2: a hit must be indistinguishable from reading the YAML -------------

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
OTHER_UID = 65534  # nobody


def entry() -> Path:
    (found,) = cache_files()
    return found


def rewrite(path: Path, edit: Callable[[bytes], bytes], *, fix_digest: bool) -> None:
    """Edit an entry's payload; with fix_digest, as someone who knows the format would.

    An entry without a header line (the format before issue 11) is edited as a whole.
    """
    raw = path.read_bytes()
    header_line, newline, payload = raw.partition(b"\n")
    try:
        header = json.loads(header_line) if newline else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or "sha256" not in header:
        path.write_bytes(edit(raw))
        return
    payload = edit(payload)
    if fix_digest:
        header.update(size=len(payload), sha256=hashlib.sha256(payload).hexdigest())
    path.write_bytes(json.dumps(header).encode() + b"\n" + payload)


def test_an_edited_entry_is_a_miss(write_bank: WriteBank) -> None:
    path = write_bank(VALID_CHOICE)
    expected = load_banks([path]).questions
    rewrite(entry(), lambda p: p.replace(b'"answer": 1', b'"answer": 2'), fix_digest=False)
    assert load_banks([path]).questions == expected  # the digest no longer matches: the YAML is read


def test_an_entry_swapped_in_from_another_bank_set_is_a_miss(write_bank: WriteBank) -> None:
    first = write_bank(VALID_CHOICE, "first.yaml")
    second = write_bank(VALID_CHOICE.replace("q-01", "q-02"), "second.yaml")
    load_banks([first], include_bundled=False)
    (entry_a,) = cache_files()
    expected = load_banks([second], include_bundled=False).questions
    entry_b = next(p for p in cache_files() if p != entry_a)
    entry_b.write_bytes(entry_a.read_bytes())  # a valid entry, for the wrong key
    assert load_banks([second], include_bundled=False).questions == expected


@pytest.mark.timeout(60)  # a blocking open of the fifo would hang here: the test fails at 60 s
def test_a_link_or_a_fifo_under_an_entry_name_is_a_miss_and_never_blocks(
    write_bank: WriteBank, tmp_path: Path
) -> None:
    path = write_bank(VALID_CHOICE)
    expected = load_banks([path]).questions
    name = entry()
    copy = tmp_path / "copy.json"
    copy.write_bytes(name.read_bytes())
    name.unlink()
    name.symlink_to(copy)  # even an intact entry is not followed
    assert load_banks([path]).questions == expected
    name.unlink()
    name.symlink_to("/dev/zero")
    assert load_banks([path]).questions == expected
    name.unlink()
    os.mkfifo(name)
    assert load_banks([path]).questions == expected  # opened without blocking, refused as not a file


def test_an_oversized_entry_is_neither_written_nor_read(
    write_bank: WriteBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_bank(VALID_CHOICE)
    size = path.stat().st_size + sum(len(f.read_bytes()) for f in bundled_bank_files())
    with monkeypatch.context() as patch:
        patch.setattr(bankcache, "limit", lambda source_bytes: 100)
        expected = load_banks([path]).questions
        assert cache_files() == []  # larger than its cap: not written
    load_banks([path])
    rewrite(entry(), lambda p: p + b" " * bankcache.limit(size), fix_digest=True)  # intact, but too large
    assert load_banks([path]).questions == expected


def test_aliases_that_expand_a_bank_are_not_cached(write_bank: WriteBank) -> None:
    """Finding 1: a small file whose aliases expand into a large bank is never stored."""
    questions = "\n".join(
        f"""  - id: q-{n}
    type: true_false
    topic: definition
    prompt: Is this statement number {n} true?
    answer: true
    explanation: *long"""
        for n in range(200)
    )
    path = write_bank(
        f"anchor: &long '{'x' * 20_000}'\nquestions:\n{questions}\n".replace("anchor:", "title:")
    )
    bank = load_banks([path], include_bundled=False)
    assert len(bank) == 200
    assert cache_files() == []  # 4 MB of explanations from a 24 kB file: re-reading is cheaper


def test_an_unsafe_cache_folder_is_not_used(
    write_bank: WriteBank, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # writable by anyone: another user could plant entries
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(shared))
    load_banks([write_bank(VALID_CHOICE)], include_bundled=False)
    assert list(shared.iterdir()) == []
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(link))  # a link to a folder is not followed
    load_banks([write_bank(VALID_CHOICE)], include_bundled=False)
    assert list(real.iterdir()) == []
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(tmp_path / "new"))
    load_banks([write_bank(VALID_CHOICE)], include_bundled=False)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700


@pytest.mark.skipif(not ROOT, reason="needs root to create files owned by another user (CI runs as root)")
def test_entries_and_folders_of_another_user_are_not_trusted(
    write_bank: WriteBank, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_bank(VALID_CHOICE)
    expected = load_banks([path]).questions
    # Another user plants an entry with the right key and a correct digest, but a wrong answer.
    rewrite(entry(), lambda p: p.replace(b'"answer": 1', b'"answer": 2'), fix_digest=True)
    os.chown(entry(), OTHER_UID, OTHER_UID)
    assert load_banks([path]).questions == expected
    # A cache folder that another user owns (and so controls) is not used at all.
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    os.chown(theirs, OTHER_UID, OTHER_UID)
    monkeypatch.setenv("QUIZGEN_CACHE_DIR", str(theirs))
    load_banks([path])
    assert list(theirs.iterdir()) == []


def test_a_write_leaves_no_temporary_and_stale_temporaries_are_pruned(write_bank: WriteBank) -> None:
    load_banks([write_bank(VALID_CHOICE)], include_bundled=False)
    folder = bankcache.folder()
    assert folder is not None
    assert list(folder.glob(".banks-*.tmp")) == []
    stale, fresh = folder / ".banks-dead-1-1.tmp", folder / ".banks-busy-2-2.tmp"
    stale.write_text("half")
    fresh.write_text("being written")
    old = time.time() - 2 * bankcache.STALE_TEMPORARY_SECONDS
    os.utime(stale, (old, old))
    load_banks([write_bank(VALID_CHOICE.replace("q-01", "q-09"), "other.yaml")], include_bundled=False)
    assert not stale.exists() and fresh.exists()


def test_a_failed_write_removes_its_temporary(write_bank: WriteBank, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    assert len(load_banks([write_bank(VALID_CHOICE)], include_bundled=False)) == 1
    folder = bankcache.folder()
    assert folder is not None and list(folder.iterdir()) == []


def test_cross_file_checks_run_on_a_hit(write_bank: WriteBank) -> None:
    """An entry that would fail the checks a miss runs (here: a duplicate id) is never served."""
    path = write_bank(VALID_CHOICE)
    load_banks([path])
    rewrite(entry(), lambda p: p.replace(b'"id": "q-01"', b'"id": "he-01"'), fix_digest=True)
    assert "q-01" in load_banks([path])  # same user, correct digest: the duplicate id sends it to the files


COMMANDS = (
    ["list", "--json"],
    ["show", "he-01", "--answer"],
    ["show", "q-01", "--answer"],
    ["generate", "tpl-xavier-tanh-gain", "--seed", "1", "--count", "2"],
    ["export", "--format", "json", "--variants", "1", "-o", "{out}"],
    ["validate"],
)


@pytest.mark.parametrize("tamper", ["edit", "swap", "plant-other-user"])
def test_every_command_answers_as_a_cacheless_run(tamper: str, write_bank: WriteBank, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quizgen.cli import main

    if tamper == "plant-other-user" and not ROOT:
        pytest.skip("needs root to create files owned by another user (CI runs as root)")
    bank = write_bank(VALID_CHOICE)

    def run(args: list[str], cache: str) -> str:
        out = tmp_path / "export.json"
        writes = "{out}" in args
        filled = [str(out) if a == "{out}" else a for a in args]
        result = CliRunner().invoke(main, ["--bank", str(bank), *filled], env={"QUIZGEN_CACHE_DIR": cache})
        assert result.exit_code == 0, result.output
        return result.output + (out.read_text(encoding="utf-8") if writes else "")

    cache = tmp_path / "cache"
    expected = {tuple(args): run(args, "off") for args in COMMANDS}
    run(["list"], str(cache))  # fills the cache
    (name,) = sorted(cache.glob("banks-*.json"))
    if tamper == "edit":
        rewrite(name, lambda p: p.replace(b'"answer": 1', b'"answer": 2'), fix_digest=False)
    elif tamper == "swap":
        run(["--bank", str(write_bank(VALID_CHOICE.replace("q-01", "q-77"), "x.yaml")), "list"], str(cache))
        other = next(p for p in cache.glob("banks-*.json") if p != name)
        name.write_bytes(other.read_bytes())
    else:
        rewrite(name, lambda p: p.replace(b'"answer": 1', b'"answer": 2'), fix_digest=True)
        os.chown(name, OTHER_UID, OTHER_UID)
    for args in COMMANDS:
        assert run(args, str(cache)) == expected[tuple(args)], args
