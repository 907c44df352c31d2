"""Progress of a run over many documents, on a terminal only: documents done / total,
failures so far, elapsed and remaining time, the rate in documents a minute and the document
being read (rich, which Prefect already brings). In logs, CI or with ``--quiet`` (no TTY on
stderr) it prints nothing of its own."""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import IO, Any


def _rate_column() -> Any:
    """Documents per minute: one unit, whatever the pace."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            elapsed = task.finished_time or task.elapsed or 0.0
            rate = task.completed / elapsed * 60 if elapsed else 0.0
            return Text(f"{rate:.1f} docs/min", style="progress.data.speed")

    return RateColumn()


CURRENT_CHARS = 40  # the document being read, its name's end
Moved = list[tuple[Any, str, Any]]  # (log handler, attribute, what it was)


def _log_above(console: Any) -> Moved:
    """While the bar shows, the log handlers that write to the terminal (Prefect's console
    handler prints through a rich Console of its own) write through the bar's console, so a
    log line prints above the bar instead of over it."""
    moved: Moved = []
    for logger in _loggers():
        for handler in logger.handlers:
            target = getattr(handler, "console", None)
            if target is not None and getattr(target, "is_terminal", False):
                moved.append((handler, "console", target))
                setattr(handler, "console", console)  # noqa: B010 (not every handler has one)
            elif isinstance(handler, logging.StreamHandler) and _is_tty(handler.stream):
                moved.append((handler, "stream", handler.stream))
                handler.setStream(console.file)
    return moved


def _restore(moved: Moved) -> None:
    for handler, attribute, before in moved:
        if attribute == "console":
            setattr(handler, "console", before)  # noqa: B010
        else:
            handler.setStream(before)


def _loggers() -> list[logging.Logger]:
    named = [v for v in logging.Logger.manager.loggerDict.values() if isinstance(v, logging.Logger)]
    return [logging.getLogger(), *named]


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class RunProgress:
    """``with RunProgress(total) as bar: … bar.advance(failed=…)``; lines printed with
    :meth:`print` go above the bar. Off when ``quiet`` or when the stream is no terminal."""

    def __init__(self, total: int, *, quiet: bool = False, stream: IO[str] | None = None,
                 label: str = "documents") -> None:  # fmt: skip
        stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and total > 1 and stream.isatty()
        self.failed = 0
        self._progress: Any = None
        self._moved: Moved = []
        if self.enabled:  # rich is imported only for a terminal (30 ms a run otherwise)
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn(), _rate_column(),
                TextColumn("{task.fields[current]}"),
                console=Console(file=stream, force_terminal=True), transient=False,
            )  # fmt: skip
            self._task = self._progress.add_task(label, total=total, failed=0, current="")

    def __enter__(self) -> RunProgress:
        if self._progress is not None:
            self._progress.start()
            self._moved = _log_above(self._progress.console)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:  # fmt: skip
        if self._progress is not None:
            _restore(self._moved)
            self._progress.stop()

    def reading(self, name: str) -> None:
        """The document now being read (the end of its name, on the bar)."""
        if self._progress is not None:
            self._progress.update(self._task, current=name[-CURRENT_CHARS:])

    def advance(self, *, failed: bool = False) -> None:
        """One more document done."""
        self.failed += failed
        if self._progress is not None:
            self._progress.update(self._task, advance=1, failed=self.failed, current="")

    def print(self, line: str, *, err: bool = False) -> None:
        """A line above the bar (or plainly, without one)."""
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=sys.stderr if err else sys.stdout)
