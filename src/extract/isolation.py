"""Per-document limits: extraction runs in a worker process with an address-space limit
(``RLIMIT_AS``) and a wall-clock timeout, so a pathological document can neither hang nor
exhaust the run. A worker is reused from document to document (the normal path pays no
start-up) and replaced after a timeout or a crash. One worker per calling thread."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .enums import Status
from .procs import may_fork
from .settings import Settings

if TYPE_CHECKING:
    from .models import DocumentResult

MB = 1024 * 1024
log = logging.getLogger(__name__)
_local = threading.local()
_workers: list[Worker] = []


class Worker:
    """A child process that extracts one document at a time."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        context: Any = multiprocessing.get_context(_start_method())
        self.conn, child = context.Pipe()
        # Not a daemon: the PDF extractor may start page workers of its own.
        self.process = context.Process(target=_serve, args=(child, memory_mb), daemon=False)
        self.process.start()
        child.close()

    def extract(
        self, path: Path, source: str | None, settings: Settings,
        while_waiting: Callable[[], None] | None = None,
    ) -> DocumentResult | str:  # fmt: skip
        """The result, or the reason (``timeout``/``crashed``) there is none.
        ``while_waiting`` runs here while the worker extracts (its time counts in the timeout)."""
        try:
            started = time.monotonic()
            self.conn.send((str(path), source, replace(settings, isolate=False)))
            if while_waiting is not None:
                try:
                    while_waiting()
                except Exception:  # only a head start on later work: the document goes on
                    log.debug("while_waiting failed", exc_info=True)
            left = settings.doc_timeout_s - (time.monotonic() - started)
            if not self.conn.poll(max(left, 0.0)):
                self.stop()
                return "timeout"
            result: DocumentResult = self.conn.recv()
            return result
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self.stop()
            return "crashed"
        except BaseException:  # e.g. KeyboardInterrupt: the worker may be mid-job, never reuse it
            self.stop()
            raise

    @property
    def alive(self) -> bool:
        """False once the process has ended."""
        return bool(self.process.is_alive())

    def stop(self) -> None:
        """Kill the process and its page workers: the worker leads a process group, and
        killing the group takes the page workers with it (alone, they would wait forever on a
        queue whose writer is gone)."""
        pid = self.process.pid
        if pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)  # the group exists once the worker set it up
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _start_method() -> str:
    """``fork`` from a single-threaded process (the CLI): the worker starts at once, with
    what this process has imported, instead of a fresh interpreter importing it all again
    (0.1-0.2 s a run). From a threaded process (the harvest's task runner) forking is unsafe:
    ``forkserver``; see :mod:`extract.procs`."""
    return "fork" if may_fork() else "forkserver"


def extract_isolated(
    path: Path, *, source: str | None, settings: Settings,
    while_waiting: Callable[[], None] | None = None,
) -> DocumentResult:  # fmt: skip
    """Extract ``path`` in this thread's worker; a timeout or crash gives a failed result."""
    worker = _worker(settings.doc_memory_mb)
    outcome = worker.extract(path, source, settings, while_waiting)
    if not isinstance(outcome, str):
        return outcome
    return _failed(path, source, outcome, settings, worker.process.exitcode)


def _worker(memory_mb: int) -> Worker:
    worker: Worker | None = getattr(_local, "worker", None)
    if worker is None or not worker.alive or worker.memory_mb != memory_mb:
        if worker is not None:
            worker.stop()
        worker = Worker(memory_mb)
        _local.worker = worker
        _workers.append(worker)
    return worker


def _failed(path: Path, source: str | None, reason: str, settings: Settings,
            exitcode: int | None) -> DocumentResult:  # fmt: skip
    from .pipeline import _file_name, file_sha256

    if reason == "timeout":
        error = f"timeout: extraction took longer than {settings.doc_timeout_s:g} s and was stopped"
    else:
        error = (f"crashed: the extraction process died (exit code {exitcode}); the document "
                 f"may need more than the {settings.doc_memory_mb} MB memory limit")  # fmt: skip
    from .models import Document, DocumentResult

    doc = Document(
        doc_id=file_sha256(path), source=source or str(path), file_name=_file_name(source, path),
        format="unknown", status=Status.FAILED, error=error, size_bytes=path.stat().st_size,
        extracted_at=dt.datetime.now(dt.UTC), extractor_version=__version__,
    )  # fmt: skip
    return DocumentResult(document=doc)


def _serve(conn: Connection, memory_mb: int) -> None:
    """Worker loop: lead a process group, limit the address space, then extract what the
    pipe sends."""
    os.setpgid(0, 0)
    limit = memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from .pipeline import extract_document

    while True:
        try:
            job: tuple[str, str | None, Settings] = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        path, source, settings = job
        conn.send(extract_document(Path(path), source=source, settings=settings))


@atexit.register
def _stop_all() -> None:
    for worker in _workers:
        worker.stop()
