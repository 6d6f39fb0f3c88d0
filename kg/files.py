"""Writing files whole or not at all, the one way every command does it."""
from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

from kg.errors import KgError

__all__ = ["existing_ancestor", "write_atomic"]


def write_atomic(path: str | os.PathLike[str], text: str, make_parents: bool = False) -> None:
    """Write `text` to `path` through a temporary file in the same directory and a rename, so a
    reader sees the old file or the new one, never half of one. An existing file keeps its
    permissions; a new one gets the usual ones (0666 less the umask). `make_parents` creates
    missing directories first. KgError when the file cannot be written; nothing is left behind."""
    path = Path(path)
    tmp = None
    try:
        if make_parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise KgError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


def existing_ancestor(path: str | os.PathLike[str]) -> Path:
    """The directory itself if it exists, else its nearest existing ancestor (where a staging
    directory for it can be made on the same file system)."""
    for candidate in (Path(path), *Path(path).absolute().parents):
        if candidate.is_dir():
            return candidate
    return Path.cwd()


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
