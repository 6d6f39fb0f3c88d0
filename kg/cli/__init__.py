"""Stage 9, cli: the `kg` command line, one module per command, each a thin click wrapper over
the library (as spaCy's `cli/`): `app` holds the `kg` group (`main`, `run`), `common` the
options and checks several commands share.

Every failure a user can fix ends the same way: ONE line `kg: error: ...` on stderr and a
non-zero exit code, with no traceback and no partial output file (`-o` files are written
atomically; `kg build` stages its files and moves them into place only on success).
Set KG_DEBUG=1 to see the traceback of an unexpected (internal) error.

Commands import the heavy stages (spaCy, networkx, pyvis) themselves, so `kg query` or
`kg --help` starts without them.
"""
from kg.cli.app import INTERNAL_ERROR_EXIT, main, run
# each module adds its command to `main`
from kg.cli import build, evaluate, export, extract, lexicon, ontology, query, serve, stats, validate, viz  # noqa: F401,E402

__all__ = ["INTERNAL_ERROR_EXIT", "main", "run"]
