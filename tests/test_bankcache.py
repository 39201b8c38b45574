"""The bank cache: a hit skips YAML, any edit misses, and a bad cache file is only a miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen import bankcache, load_banks, yamlsource

from .conftest import VALID_CHOICE, WriteBank


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
