"""Every error the aggregator raises on purpose derives from one root.

    AggregatorError
     ├── ConfigError     feeds.yaml is unreadable or invalid (carries every problem found)
     ├── FetchError      a source could not be fetched (network, HTTP status, size cap)
     ├── ParseError      a body was fetched but holds no usable feed
     ├── StorageError    the database refused a read or write
     │    └── DatabaseLocked   another process held its write lock too long
     └── ServeError      the HTTP server cannot listen (the port is taken)

Lower libraries' exceptions are caught at the boundary of the module that owns the
library and re-raised as one of these with the cause chained, so callers handle one tree.
"""

from __future__ import annotations

from dataclasses import dataclass


class AggregatorError(Exception):
    """Root of every error the aggregator raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with the config: where it is and what to do about it."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class ConfigError(AggregatorError):
    """The config is invalid; ``problems`` lists every problem, not just the first."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FetchError(AggregatorError):
    """A source could not be fetched. ``status`` is the HTTP status when there was one."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class ParseError(AggregatorError):
    """A body was fetched but is not a feed we can read."""


class StorageError(AggregatorError):
    """The database refused a read or a write. ``hint`` says what the operator can do
    about it (the store knows which refusal it was: a full disk, no permission...)."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class DatabaseLocked(StorageError):
    """Another process held the database's write lock for longer than a writer waits.

    Not a problem of the path or the disk: waiting again, or stopping the other writer,
    is the cure, so a poll stops at the first one instead of waiting once per source."""


class ServeError(AggregatorError):
    """The HTTP server could not listen on its address (the port is taken, or not ours)."""
