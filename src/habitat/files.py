"""Output files written whole or not at all, readable as the user's umask allows."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

#: What a new file's mode would be before the umask, as `open()` and `touch` create it.
NEW_FILE_MODE = 0o666


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows.

    Returns:
        The umask bits, e.g. 0o022.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # No /proc: set and restore (a thread creating a file in between sees umask 0o077).
    umask = os.umask(0o077)
    os.umask(umask)
    return umask


def set_plain_mode(path: str | Path) -> None:
    """Give a file the mode a plain `open()` would: 0o666 less the umask.

    Args:
        path: a file this process wrote (through a temporary file, or SQLite,
            which creates its files 0o644 whatever the umask).
    """
    os.chmod(path, NEW_FILE_MODE & ~current_umask())


def write_atomically(path: str | Path, content: bytes | Callable[[Path], object]) -> Path:
    """Write `path` whole or not at all: readers never see half a file.

    The content goes to a temporary file in the same folder, is flushed to disk,
    given the mode a plain `open()` would give it (0o666 less the umask, so
    colleagues on a shared cluster can read results when the umask lets them) and
    renamed over `path`.

    Args:
        path: the file to write; its folder is created if missing.
        content: the bytes to write, or a function called with the temporary path
            that writes the file there (e.g. `lambda p: frame.to_parquet(p)`).

    Returns:
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    partial = Path(name)
    try:
        if isinstance(content, bytes | bytearray | memoryview):
            with os.fdopen(fd, "wb") as file:
                file.write(content)
        else:
            os.close(fd)
            content(partial)
        with open(partial, "rb+") as file:
            os.fsync(file.fileno())
        set_plain_mode(partial)
        os.replace(partial, path)
        log.debug("wrote %s", path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path
