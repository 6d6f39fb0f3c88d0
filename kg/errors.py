"""User-facing errors. The CLI prints `str(error)` on one line and exits non-zero."""


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
