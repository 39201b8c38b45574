"""Every file quizgen writes for people (exports, worksheets, keys): written whole or not at all.

A write goes to a temporary file in the destination's own folder (so that the
rename stays on one file system), which is flushed, fsynced and then renamed over
the final name; the folder is fsynced too, so the rename survives a power cut. A
reader therefore sees the previous file or the complete new one, never a
truncated one: a full disk, a permission problem or an interrupted write leaves
the previous file as it was and removes the temporary. A process killed with
SIGKILL cannot remove its temporary; the next write to the same name removes
temporaries whose writer is no longer running (the process id is in the name).

The destination's permission bits (and, where allowed, owner) are kept when it
exists, and a read-only destination is refused, as a plain write would refuse
it; a new file gets the usual 0o666 less the umask. A symbolic link is
followed, so the file it points to is replaced, as a plain write would have
done. A destination that exists and is not a regular file (``-o /dev/stdout``,
a FIFO) cannot be replaced: it is written directly.

:func:`write_atomic` writes bytes held in memory; :func:`open_atomic` gives a binary file to
stream into (an export of any size, in flat memory) with the same guarantees: the file
replaces the destination when the ``with`` block ends normally; on any exception the
temporary is removed and the previous file stays. Both raise :class:`OutputError` with a
one-line message (where, what and how to fix) for any failure to write.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .errors import QuizgenError

_SUFFIX = ".quizgen-tmp"

_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space or choose another -o",
    errno.EDQUOT: "the disk quota is exceeded; free some space or choose another -o",
    errno.EFBIG: "the file is larger than this system allows; choose another -o",
    errno.EACCES: "permission denied; choose a folder you can write to with -o",
    errno.EPERM: "permission denied; choose a folder you can write to with -o",
    errno.EROFS: "the file system is read-only; choose another -o",
    errno.EISDIR: "it is a folder; give a file name with -o",
    errno.ENOTDIR: "a part of the path is not a folder; check -o",
    errno.ENOENT: "the folder does not exist; create it or check -o",
    errno.ENAMETOOLONG: "the file name is too long; choose a shorter -o",
}


class OutputError(QuizgenError):
    """An output file could not be written; the previous file, if any, is unchanged."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = path
        self.errno = error.errno
        reason = error.strerror or str(error)
        advice = _ADVICE.get(error.errno or 0, "choose another -o")
        super().__init__(f"{path}: cannot write ({reason}); {advice} (any previous file there is unchanged)")


def write_atomic(path: Path, content: bytes | str) -> None:
    """Replace ``path`` with ``content`` (str is written as UTF-8) in one step: all of it, or nothing.

    Raises :class:`OutputError` when the file cannot be written; the previous file
    is then intact and no temporary file is left behind.
    """
    data = _utf8(content) if isinstance(content, str) else content
    try:
        _replace(Path(path), data)
    except OSError as exc:
        raise OutputError(Path(path), exc) from None


def _utf8(text: str) -> bytes:
    """UTF-8; a lone surrogate (an undecodable byte of a command-line argument such as --title) becomes U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")


def _replace(path: Path, data: bytes) -> None:
    target, info = _destination(path)
    if target is None:  # a terminal, pipe or device
        with open(path, "wb") as stream:
            stream.write(data)
        return
    folder = target.parent
    temporary, descriptor = _start(target, info)
    try:
        try:
            _write_all(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(folder)


@contextlib.contextmanager
def open_atomic(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into, as ``with open_atomic(path) as stream:``.

    The file is a temporary beside ``path`` (buffered; its writes go out in chunks of 1 MiB). When
    the block ends normally it is flushed, fsynced and renamed over ``path``; when the block raises
    anything (a failed write, an error of the caller, KeyboardInterrupt), the temporary is removed,
    the previous file stays, and the exception goes on. A write that fails raises
    :class:`OutputError` (as :func:`write_atomic`'s messages); other exceptions pass unchanged.
    A destination that exists and is not a regular file (a FIFO, ``/dev/stdout``) is written directly.
    """
    path = Path(path)
    try:
        target, info = _destination(path)
        if target is None:
            descriptor, temporary = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)), None
        else:
            temporary, descriptor = _start(target, info)
    except OSError as exc:
        raise OutputError(path, exc) from None
    stream = io.BufferedWriter(_Descriptor(descriptor, path), buffer_size=1 << 20)
    try:
        try:
            yield stream
            stream.flush()
            if temporary is not None:
                os.fsync(descriptor)
        finally:
            stream.raw.close()  # the descriptor, whatever the buffer holds (a failed write's rest)
        if temporary is not None and target is not None:
            os.replace(temporary, target)
    except BaseException as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if isinstance(exc, OSError):  # fsync or the rename
            raise OutputError(path, exc) from None
        raise
    if target is not None:
        _fsync_folder(target.parent)


class _Descriptor(io.RawIOBase):
    """The raw file under :func:`open_atomic`'s buffer: writes every byte with :func:`_write_all`, and
    turns a failed write into :class:`OutputError`."""

    def __init__(self, descriptor: int, path: Path) -> None:
        super().__init__()
        self._descriptor = descriptor
        self._path = path

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._descriptor

    def write(self, data: Any, /) -> int:
        try:
            _write_all(self._descriptor, bytes(data))
        except OSError as exc:
            raise OutputError(self._path, exc) from None
        return len(data)

    def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(OSError):
                os.close(self._descriptor)
        super().close()


def _destination(path: Path) -> tuple[Path | None, os.stat_result | None]:
    """The regular file to replace (a link's target) and its status (None if new); (None, status) for
    a terminal, pipe or device, which is written in place. Refuses a folder and a read-only file."""
    try:
        info = os.stat(path)  # follows a link to what it names
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if info is not None and not stat.S_ISREG(info.st_mode):
        return None, info
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    if info is not None and not os.access(target, os.W_OK):  # a read-only file stays read-only
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    return target, info


def _start(target: Path, info: os.stat_result | None) -> tuple[Path, int]:
    """The temporary beside ``target`` (stale ones of killed writers removed first), opened for
    writing, with the replaced file's owner and mode."""
    _remove_stale_temporaries(target.parent, target.name)
    temporary, descriptor = _create_temporary(target.parent, target.name)
    if info is not None:
        try:
            _keep_owner_and_mode(descriptor, info)
        except BaseException:
            os.close(descriptor)
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    return temporary, descriptor


def _keep_owner_and_mode(descriptor: int, info: os.stat_result) -> None:
    """Give the new file the replaced one's permission bits, and its owner where allowed (as root)."""
    if hasattr(os, "fchown") and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):
            os.fchown(descriptor, info.st_uid, info.st_gid)
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, stat.S_IMODE(info.st_mode))


def _create_temporary(folder: Path, name: str) -> tuple[Path, int]:
    """A new, empty file beside the destination, named after it and this process, opened for writing."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    stem = name[:100]  # leave room in a 255-byte file name
    while True:
        temporary = folder / f".{stem}.{os.getpid()}-{secrets.token_hex(4)}{_SUFFIX}"
        try:
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:  # pragma: no cover - 32 random bits taken
            continue


def _write_all(descriptor: int, data: bytes) -> None:
    """Write every byte (os.write may write fewer than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view[: 1 << 24])
        view = view[written:]


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; not every platform or file system can open a folder for this."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    """Remove temporaries of this destination left by writers that were killed (their process is gone)."""
    prefix = f".{name[:100]}."
    try:
        with os.scandir(folder) as entries:
            candidates = [entry for entry in entries if entry.name.startswith(prefix)]
    except OSError:
        return
    for entry in candidates:
        middle = entry.name[len(prefix) :]
        if not middle.endswith(_SUFFIX):
            continue
        pid_text, _, rest = middle[: -len(_SUFFIX)].partition("-")
        if not pid_text.isdigit() or len(rest) != 8 or not entry.is_file(follow_symlinks=False):
            continue
        if _running(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but belongs to someone else
        return True
    return True
