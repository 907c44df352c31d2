"""Atomic file replacement shared by the Parquet writer and the raw store.

A file is written under a hidden temporary name in its target folder
(``.<name>.<random>.<pid>.tmp``), fsynced, then renamed into place: readers globbing
``*.parquet`` or a hash name never see a partial file, and a killed writer leaves at worst
a temporary that :func:`remove_stale_temporaries` deletes once its pid no longer runs. The
same holds for the folders an archive is unpacked into (``.unpack.<pid>.<random>``).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".tmp"
UNPACK_PREFIX = ".unpack."  # + pid + "." + random: an archive's members while they are read


def temp_path(target: Path) -> Path:
    """A temporary name beside ``target``, unique per call; the pid stays last."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.{os.getpid()}{TEMP_SUFFIX}")


def replace_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Let ``write`` fill a temporary file, fsync it, and rename it to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    try:
        write(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomically(target: Path, data: bytes) -> None:
    """Atomically replace ``target`` with ``data``."""
    replace_atomically(target, lambda tmp: tmp.write_bytes(data))


def remove_stale_temporaries(out_dir: Path | str) -> list[Path]:
    """Delete temporaries in ``out_dir``'s subfolders, and unpacking folders in ``out_dir``,
    whose writer process has died."""
    removed = []
    for tmp in Path(out_dir).glob(f"*/.*{TEMP_SUFFIX}"):
        pid = tmp.name.removesuffix(TEMP_SUFFIX).rsplit(".", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    for folder in Path(out_dir).glob(f"{UNPACK_PREFIX}*"):
        pid = folder.name.removeprefix(UNPACK_PREFIX).split(".", 1)[0]
        if folder.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True
