"""A cache of validated banks, so that `quizgen drill` starts without re-reading YAML.

A cache hit must be indistinguishable from reading the YAML. The design:

* **The key** is a SHA-256 of quizgen's and pydantic's versions, quizgen's own source
  files (name, size, modification time: the vocabularies and checks are code), and
  every bank file's path and exact contents, so any edit is a miss.
* **The folder** (the user cache folder; `QUIZGEN_CACHE_DIR` overrides it,
  `QUIZGEN_CACHE_DIR=off` disables the cache) is used only when it is a real
  directory owned by the user and writable by no one else, as ssh treats its files.
  It is opened once (`O_DIRECTORY | O_NOFOLLOW`) and every entry is reached through
  that descriptor, so swapping the folder or a parent for a link after the check
  changes nothing. quizgen creates it with mode 0700.
* **An entry** is a regular file owned by the user, opened without following links
  and without blocking (a FIFO planted under an entry's name is refused, not waited
  on), read up to a cap: at most four times the bank files' size plus 1 MiB. An
  entry that would be larger is never written (YAML aliases can expand a small file
  into a huge bank). Its first line is a header with the key, the payload's length
  and the SHA-256 of the payload, so a truncated, edited or swapped entry is a miss.
* **On a hit** the payload is validated by the models, and the loader runs the same
  cross-file checks as on a miss (unique ids, declared topics and misconceptions,
  known claims, stated precision); any problem is a miss, and the files are read.
* `quizgen validate` never reads the cache (it refreshes it).

Plain JSON, never pickled objects. When the cache cannot be used or written, quizgen
simply works without it; a write leaves no temporary file behind, and temporaries
that a killed process left are pruned.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

KEEP = 8
"""How many cached bank sets to keep (the least recently written go first)."""
FORMAT = 2
"""The entry format: a JSON header line, then the payload."""
STALE_TEMPORARY_SECONDS = 3600
"""A `.banks-*.tmp` older than this was left by a process that died while writing: prune it."""

_SAFE = (
    hasattr(os, "O_NOFOLLOW")
    and hasattr(os, "O_DIRECTORY")
    and hasattr(os, "getuid")
    and os.open in os.supports_dir_fd
    and os.rename in os.supports_dir_fd  # os.replace takes dir_fd too; it is listed as rename
    and os.unlink in os.supports_dir_fd
)
"""Whether this platform has what the cache's safety needs (Linux and macOS do); without it, no cache."""


def folder() -> Path | None:
    configured = os.environ.get("QUIZGEN_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("quizgen", appauthor=False))


def key(labels: list[str], contents: list[bytes]) -> str:
    import pydantic

    from ._version import __version__

    digest = hashlib.sha256(f"quizgen {__version__} pydantic {pydantic.VERSION}".encode())
    digest.update(_code_stamp().encode())
    for label, content in zip(labels, contents, strict=True):
        digest.update(b"\0" + label.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()[:40]


def limit(source_bytes: int) -> int:
    """The largest entry for bank files of this total size."""
    return 4 * source_bytes + (1 << 20)


def _code_stamp() -> str:
    """quizgen's own source files by name, size and modification time.

    The built-in vocabularies and the loader's checks are code: an edited or upgraded
    copy of quizgen must not be served a bank that an older one validated.
    """
    package = Path(__file__).parent
    stamps = []
    for path in sorted(package.rglob("*.py")):
        try:
            info = path.stat()
        except OSError:
            continue
        stamps.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(stamps)


@contextmanager
def _trusted_folder(create: bool) -> Iterator[int | None]:
    """A descriptor of the cache folder if it may be used (see the module docstring), else None."""
    where = folder()
    if where is None or not _SAFE:
        yield None
        return
    if create:
        try:
            where.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            yield None
            return
    try:
        descriptor = os.open(where, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        yield None
        return
    try:
        info = os.fstat(descriptor)
        trusted = info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        yield descriptor if trusted else None
    finally:
        os.close(descriptor)


def _entry_name(cache_key: str) -> str:
    return f"banks-{cache_key}.json"


def read(cache_key: str, source_bytes: int) -> bytes | None:
    """The cached payload for this key, or None (a miss) for anything but an intact entry of ours.

    The cache knows bytes and keys; what the payload means (a bank) is the loader's business.
    """
    with _trusted_folder(create=False) as descriptor:
        if descriptor is None:
            return None
        return _read_entry(descriptor, cache_key, limit(source_bytes))


def _read_entry(descriptor: int, cache_key: str, cap: int) -> bytes | None:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        handle = os.open(_entry_name(cache_key), flags, dir_fd=descriptor)
    except OSError:
        return None  # missing, a link, or unreadable
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_size > cap:
            return None
        with os.fdopen(os.dup(handle), "rb") as stream:
            raw = stream.read(cap + 1)
    except OSError:
        return None
    finally:
        os.close(handle)
    header_line, _, payload = raw.partition(b"\n")
    try:
        header = json.loads(header_line)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != cache_key:
        return None
    if header.get("size") != len(payload) or header.get("sha256") != hashlib.sha256(payload).hexdigest():
        return None
    return payload


def write(cache_key: str, payload: bytes, source_bytes: int) -> None:
    """Store a payload, unless it is larger than `limit(source_bytes)` or the folder is not ours."""
    if len(payload) > limit(source_bytes):
        return  # aliases expanded a small file: re-reading it is cheaper than storing it
    header = json.dumps(
        {
            "format": FORMAT,
            "key": cache_key,
            "size": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
    ).encode("utf-8")
    with _trusted_folder(create=True) as descriptor:
        if descriptor is not None:
            _write_entry(descriptor, cache_key, header + b"\n" + payload)
            _prune(descriptor)


def _write_entry(descriptor: int, cache_key: str, content: bytes) -> None:
    temporary = f".banks-{cache_key}-{os.getpid()}-{time.monotonic_ns()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        handle = os.open(temporary, flags, 0o600, dir_fd=descriptor)
    except OSError:
        return  # a read-only or full disk: no cache, nothing lost
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, _entry_name(cache_key), src_dir_fd=descriptor, dst_dir_fd=descriptor)  # atomic
    except OSError:
        _unlink(descriptor, temporary)


def _prune(descriptor: int) -> None:
    """Keep the KEEP newest entries; remove temporaries that a killed writer left behind."""
    entries: list[tuple[float, str]] = []
    now = time.time()
    try:
        with os.scandir(descriptor) as listing:
            for item in listing:
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                if item.name.startswith(".banks-") and item.name.endswith(".tmp"):
                    if now - info.st_mtime > STALE_TEMPORARY_SECONDS:
                        _unlink(descriptor, item.name)
                elif item.name.startswith("banks-") and item.name.endswith(".json"):
                    entries.append((info.st_mtime, item.name))
    except OSError:
        return
    for _, name in sorted(entries, reverse=True)[KEEP:]:
        _unlink(descriptor, name)


def _unlink(descriptor: int, name: str) -> None:
    with suppress(OSError):
        os.unlink(name, dir_fd=descriptor)
