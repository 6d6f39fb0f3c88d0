"""Every user-facing error, in one catalogue. The CLI prints `str(error)` on one line and exits
with the class's `exit_code`; each message says what to do. Modules raise these classes, never
a plain ValueError at a user."""


class KgError(Exception):
    """Base class of every error a user can fix (bad input, bad query, bad option)."""

    exit_code = 1


class InputError(KgError):
    """An article file or stream cannot be read."""

    exit_code = 2


class QueryError(KgError):
    """A SPARQL query is malformed or cannot run."""


class GraphLoadError(KgError):
    """A graph file cannot be read."""


class ModelError(KgError):
    """The spaCy model cannot be loaded."""


class Interrupted(KgError):
    """The user pressed Ctrl-C (SIGINT): the command stops with one line, as a shell expects."""

    exit_code = 130  # 128 + SIGINT


class ResultTooLarge(QueryError):
    """A query result has more rows (or triples) than the caller allows."""


class QueryTimeout(QueryError):
    """A query ran past the time limit (or waited past it for a free worker)."""


class QueryMemory(QueryError):
    """A query grew its worker past the memory ceiling."""


class UpdateRefused(QueryError):
    """An update the endpoint does not run (read-only, or LOAD/SERVICE)."""


class RequestRefused(KgError):
    """An HTTP request refused before any query runs: `status`, the message and extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.headers = status, headers or {}


class UnreadableGraphError(GraphLoadError):
    """The graph to validate cannot be read: exit 2, as opposed to 1 for an invalid graph."""

    exit_code = 2


class StoreError(KgError):
    """A store cannot be opened, read or written."""


class NothingToBuild(KgError):
    """Every article was skipped, so there is no graph to write."""


class PandasMissing(KgError, ImportError):
    """A DataFrame was asked for without pandas installed."""
