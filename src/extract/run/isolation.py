"""Per-document limits: a document is read, and its records built, in worker processes
with an address-space limit (``RLIMIT_AS``) and a wall-clock timeout shared by both, so a
pathological document can neither hang nor exhaust the run.

Two workers per calling thread, reused from document to document and replaced after a timeout
or a crash: the *reader* sniffs the file and runs its extractor (no pydantic), the *assembler*
turns what was read into records. While the reader reads, the calling process imports the
record models, starts the assembler (which imports the normalizer) and imports the writer: a
one-off run pays those imports beside the reading instead of after it.
"""

from __future__ import annotations

import atexit
import contextlib
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
from typing import TYPE_CHECKING, Any, cast

from extract.enums import Format
from extract.procs import die_with_parent, may_fork
from extract.settings import Settings

if TYPE_CHECKING:
    from extract.models import DocumentResult

MB = 1024 * 1024
log = logging.getLogger(__name__)
_local = threading.local()
_workers: list[Worker] = []


Job = tuple[str, Any, Settings]  # (the role's step, its input, the settings)


class Worker:
    """A child process that runs one job at a time: ``read`` or ``assemble`` a document."""

    def __init__(self, memory_mb: int, role: str = "read") -> None:
        self.memory_mb = memory_mb
        context: Any = multiprocessing.get_context(_start_method())
        self.conn, child = context.Pipe()
        # Not a daemon: the PDF extractor may start page workers of its own.
        self.process = context.Process(target=_serve, args=(child, memory_mb, role),
                                       daemon=False)  # fmt: skip
        self.process.start()
        child.close()

    def run(
        self, job: Job, timeout_s: float, while_waiting: Callable[[], None] | None = None
    ) -> Any:
        """The job's result, or the reason (``timeout``/``crashed``) there is none, as a str.
        ``while_waiting`` runs here while the worker works (its time counts in the timeout)."""
        try:
            started = time.monotonic()
            self.conn.send(job)
            if while_waiting is not None:
                try:
                    while_waiting()
                except Exception:  # only a head start on later work: the document goes on
                    log.debug("while_waiting failed", exc_info=True)
            left = timeout_s - (time.monotonic() - started)
            if not self.conn.poll(max(left, 0.0)):
                self.stop()
                return "timeout"
            return self.conn.recv()
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
    """Read ``path`` in this thread's reader and assemble it in its assembler, both within
    ``settings.doc_timeout_s``; a timeout or crash in either gives a failed result."""
    from extract.run.reading import Reading

    started = time.monotonic()
    inner = replace(settings, isolate=False)

    def meanwhile() -> None:
        _start_assembler(settings.doc_memory_mb)
        if while_waiting is not None:
            while_waiting()

    reading = _run("read", (str(path), source), inner, settings.doc_timeout_s, meanwhile)
    if isinstance(reading, str):
        return _failed(path, source, reading, settings)
    if cast(Reading, reading).extracted is None:  # a failed row: nothing left to guard
        from extract.run.reading import assemble_reading

        return assemble_reading(reading, settings)
    left = settings.doc_timeout_s - (time.monotonic() - started)
    result = _run("assemble", reading, inner, left)
    if isinstance(result, str):
        return _failed(path, source, result, settings)
    return cast("DocumentResult", result)


def _run(role: str, payload: Any, settings: Settings, timeout_s: float,
         while_waiting: Callable[[], None] | None = None) -> Any:  # fmt: skip
    """Run a job in this thread's worker of ``role``; its outcome, or why there is none."""
    worker = _worker(role, settings.doc_memory_mb)
    outcome = worker.run((role, payload, settings), timeout_s, while_waiting)
    if outcome == "crashed":
        outcome = f"crashed:{worker.process.exitcode}"
    return outcome


def _start_assembler(memory_mb: int) -> None:
    """While the reader reads: import the record models (this process needs them for the
    result and the writer) and start the assembler, which imports the rest of the assembly
    itself. Forked, it starts with the models loaded, and before the writer's imports start
    threads (pyarrow's) that would make forking unsafe."""
    if may_fork():
        from extract import models  # noqa: F401
    _worker("assemble", memory_mb)


def _worker(role: str, memory_mb: int) -> Worker:
    if not hasattr(_local, "workers"):
        _local.workers = {}
    workers: dict[str, Worker] = _local.workers
    worker = workers.get(role)
    if worker is None or not worker.alive or worker.memory_mb != memory_mb:
        if worker is not None:
            worker.stop()
        worker = workers[role] = Worker(memory_mb, role)
        _workers.append(worker)
    return worker


def _failed(path: Path, source: str | None, reason: str, settings: Settings) -> DocumentResult:
    """The failed result of a document whose worker timed out (``timeout``) or died
    (``crashed:<exit code>``)."""
    from extract.models import DocumentResult
    from extract.run.reading import failed_document, file_facts

    if reason == "timeout":
        error = f"timeout: extraction took longer than {settings.doc_timeout_s:g} s and was stopped"
    else:
        exitcode = reason.partition(":")[2] or None
        error = (f"crashed: the extraction process died (exit code {exitcode}); the document "
                 f"may need more than the {settings.doc_memory_mb} MB memory limit")  # fmt: skip
    doc = failed_document(file_facts(path, source), Format.UNKNOWN, error)
    return DocumentResult(document=doc)


def _serve(conn: Connection, memory_mb: int, role: str) -> None:
    """Worker loop: lead a process group, limit the address space, then run what the pipe
    sends: ``read`` (a path and its source) or ``assemble`` (a reading)."""
    die_with_parent()
    os.setpgid(0, 0)
    limit = memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from extract.run.reading import assemble_reading, read_document

    if role == "assemble":
        from extract.records import assemble  # noqa: F401  (beside the reader, not on the first job)

    while True:
        try:
            step, payload, settings = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if step == "read":
            path, source = payload
            conn.send(read_document(Path(path), source=source, settings=settings))
        else:
            conn.send(assemble_reading(payload, settings))


@atexit.register
def _stop_all() -> None:
    for worker in _workers:
        worker.stop()
