"""What several commands share: their options, standard input as strict UTF-8, the --actors
file, and the checks made before any work (an output never replaces an input).
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from kg.errors import InputError, KgError
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.ingest.articles import ARTICLE_SUFFIXES, MAX_ARTICLE_BYTES, MAX_LINE_BYTES
from kg.nlp.parse import DEFAULT_MODEL
from kg.store import REMOTE_SCHEMES


DATE = click.option("--date", help="Article date (YYYY-MM-DD) for resolving relative dates; JSON Lines 'date' fields win.")
MODEL = click.option("--model", default=DEFAULT_MODEL, show_default=True, help="Name of an installed spaCy pipeline.")
ACTORS = click.option("--actors", metavar="FILE", type=click.Path(dir_okay=False),
                      help="Your own actors, in either of two formats: a TSV with the columns of "
                           "ontology/actors.tsv (name, type, country, aliases, demonyms, metonyms, wikidata), or "
                           "an actor dictionary in the CAMEO/PETRARCH text format (NAME_ [CODE >YYMMDD], +ALIAS "
                           "lines, date-bounded codes); a file named .tsv or .tab is a TSV, any other is told by "
                           "its first line (see docs/ACTOR-DICTIONARY.md). Its entries add to or replace the "
                           "built-in ones.")
WORKERS = click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1), metavar="N",
                       help="Parse on N local processes; the results are the same as with 1.")
DASK = click.option("--dask", metavar="ADDRESS",
                    help="Run extraction on the Dask distributed cluster whose scheduler is at ADDRESS, "
                         "e.g. tcp://scheduler:8786 (kg must be installed on its workers).")
MAX_ARTICLE = click.option("--max-article-size", "max_article", default=MAX_ARTICLE_BYTES, show_default=True,
                           type=click.IntRange(min=1), metavar="BYTES",
                           help="Largest article (a file, standard input's text, a record's 'text'); "
                                "a larger one is refused.")
MAX_LINE = click.option("--max-line-size", "max_line", default=MAX_LINE_BYTES, show_default=True,
                        type=click.IntRange(min=1), metavar="BYTES",
                        help="Largest JSON Lines line (one record); a longer one is refused.")
# the suffix an output file's name says -> the export format it holds
SUFFIX_FORMATS = {".ttl": "ttl", ".turtle": "ttl", ".nt": "nt", ".nq": "nq", ".jsonld": "jsonld",
                  ".json-ld": "jsonld", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".trig": "trig",
                  ".graphml": "graphml", ".gexf": "gexf", ".csv": "csv"}
BY = click.option("--by", type=click.Choice(["actor", "state"]), default="actor", show_default=True,
                  help="Level of the nodes: each actor, or each state with the actors that act for it "
                       "folded in (GDELT-style country dyads).")
_LINE_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")  # str.splitlines breaks there too


class Utf8Stdin:
    """Standard input decoded strictly as UTF-8, so bad bytes raise UnicodeDecodeError
    (reported by the reader as an input error) instead of turning into surrogates."""

    @property
    def buffer(self):
        """The binary stream under standard input (None: there is none); InputError when it is closed."""
        if sys.stdin is None or sys.stdin.closed:  # `kg extract - <&-`: Python starts without it
            raise InputError("<stdin> is closed; pipe in article text or JSON Lines")
        return getattr(sys.stdin, "buffer", None)

    def read(self, size: int = -1) -> str:
        stream = self.buffer
        data = stream.read(size) if stream is not None else sys.stdin.read(size).encode("utf-8", "surrogateescape")
        return data.decode("utf-8")


def load_actors(actors: str | None) -> Gazetteer | None:
    """The built-in gazetteer extended by the --actors FILE, a TSV or a CAMEO/PETRARCH actor
    dictionary (None: the built-in one alone)."""
    if not actors:
        return None
    _check_line_breaks(Path(actors))
    return load_gazetteer(actors)


def _check_line_breaks(path: Path) -> None:
    """InputError naming the line (counted by newlines, as an editor does) of a TSV cell that
    holds another line break (U+2028, a form feed, ...), which would split the row in two."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return  # reported by the gazetteer's reader, which names the line
    for lineno, line in enumerate(text.split("\n"), start=1):
        found = _LINE_BREAKS.search(line)
        if found:
            cell = next(c for c in line.split("\t") if found.group() in c)
            raise InputError(f"{path}, line {lineno}: {cell.strip()!r} holds a line break "
                             f"(U+{ord(found.group()):04X}); write each row on one line")


def check_not_inputs(inputs: tuple[str, ...] | list[str], outputs: list[Path], hint: str = "-o FILE") -> None:
    """InputError when an output file would replace an input: the same file (any name, links
    included), or an article file inside an input directory (it would be read, then replaced)."""
    for output in outputs:
        if not output.exists():
            continue
        for given in inputs:
            if given == "-" or given.startswith(REMOTE_SCHEMES) or not os.path.exists(given):
                continue
            inside = False
            if os.path.isdir(given) and output.suffix.lower() in ARTICLE_SUFFIXES:
                try:
                    parts = output.resolve().relative_to(Path(given).resolve()).parts
                    inside = not any(part.startswith(".") for part in parts)
                except ValueError:
                    pass
            if inside or os.path.samefile(given, output):
                raise InputError(f"{output} is an input ({given}); writing it would destroy it: "
                                 f"give another {hint}")


def check_parallel(workers: int, dask: str | None) -> None:
    if dask is not None and workers != 1:
        raise click.UsageError("give either --workers (local processes) or --dask (a cluster), not both")


def check_writable(path: Path, directory: bool = False) -> None:
    """Fail early (before any work) when the nearest existing ancestor of the file `path`
    (or of the `directory` path, itself included) is not a directory."""
    for ancestor in ((path,) if directory else ()) + tuple(path.parents):
        if ancestor.exists():
            if not ancestor.is_dir():
                raise KgError(f"cannot write {'to ' if directory else ''}{path}: {ancestor} is not a directory")
            return
