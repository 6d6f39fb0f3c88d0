"""Pipeline stage 1: read articles from text, Markdown and JSON Lines files, directories or stdin.

Every problem with the input is raised as `kg.errors.InputError` with a one-line message
naming the file (and line, for JSON Lines). Each file is validated completely before any
of its articles is yielded; across files the reader streams.
"""
from __future__ import annotations

import json
import re
import shlex
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from kg.errors import InputError
from kg.model import Article

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
JSONL_SUFFIXES = frozenset({".jsonl", ".json-lines"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES
STDIN = "-"
STDIN_NAME = "<stdin>"
_BOM = b"\xef\xbb\xbf"
_BINARY_PROBE = 8192
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ATX_CLOSE_RE = re.compile(r"\s+#+$")  # optional closing hashes of "## Title ##"
_OPTIONAL_FIELDS = ("title", "url", "source")


def read_articles(
    paths: Iterable[str | Path],
    default_date: str | None = None,
    stdin: TextIO | None = None,
) -> Iterator[Article]:
    """Yield one Article per text file / JSON Lines record found in `paths` ("-" = stdin).

    Arguments are checked eagerly (bad `default_date`, missing paths, empty directories);
    the files themselves are read lazily, one whole file at a time.
    """
    if default_date is not None:
        default_date = _parse_default_date(default_date)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    sources = _expand(paths)
    return _generate(sources, default_date, stdin)


def article_from_text(
    text: str, id: str = "text", title: str | None = None, date: str | None = None
) -> Article:
    """Build an Article from a string (title defaults to its first non-empty line)."""
    where = f"article {id!r}"
    text = _normalise(text)
    if not text.strip():
        raise InputError(f"{where} is empty; pass the article text")
    if date is not None:
        date = _parse_date(date, where)
    return Article(id=id, text=text, title=title if title is not None else _first_line(text), date=date)


# --- source discovery ---------------------------------------------------------------


def _expand(paths: Iterable[str | Path]) -> list[str | Path]:
    """Resolve the arguments to a list of files (and STDIN), checking that each exists."""
    sources: list[str | Path] = []
    stdin_seen = False
    for raw in paths:
        if str(raw) == STDIN:
            if stdin_seen:
                raise InputError("'-' (standard input) is given more than once; give it once")
            stdin_seen = True
            sources.append(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            found = [
                p for p in sorted(path.rglob("*"))
                if p.suffix.lower() in ARTICLE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.is_file()
            ]
            if not found:
                kinds = ", ".join(sorted(ARTICLE_SUFFIXES))
                raise InputError(f"{path} contains no article files ({kinds}); add some or pass files")
            sources.extend(found)
        elif path.exists():
            sources.append(path)
        else:
            raise InputError(f"no such file or directory: {path}; check the path")
    return sources


def _generate(
    sources: list[str | Path], default_date: str | None, stdin: TextIO | None
) -> Iterator[Article]:
    """Read each source in turn, rejecting article ids already seen in this run."""
    seen: dict[str, str] = {}
    for source in sources:
        if source == STDIN:
            batch = _read_stdin(stdin if stdin is not None else sys.stdin, default_date)
        else:
            batch = _read_file(Path(source), default_date)
        for article, where in batch:
            if article.id in seen:
                raise InputError(
                    f"duplicate article id {article.id!r}: {seen[article.id]} and {where}; "
                    "give each article a unique id"
                )
            seen[article.id] = where
        for article, _ in batch:
            yield article


# --- readers ---------------------------------------------------------------------------


def _read_file(path: Path, default_date: str | None) -> list[tuple[Article, str]]:
    """Read and validate one file; returns (article, location) pairs."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        raise InputError(f"{path}: plain .json is not read; write one JSON object per line to a .jsonl file")
    text = _decode(path)
    if not text.strip():
        raise InputError(f"{path} is empty; remove it or add the article text")
    if suffix in JSONL_SUFFIXES:
        return _parse_jsonl(text, str(path), path.stem, default_date)
    article = Article(id=path.stem, text=text, title=_first_line(text), date=default_date)
    return [(article, str(path))]


def _read_stdin(stream: TextIO, default_date: str | None) -> list[tuple[Article, str]]:
    """Read standard input: JSON Lines if the first non-blank line starts with '{', else one text."""
    try:
        raw = stream.read()
    except UnicodeDecodeError as exc:
        raise InputError(f"{STDIN_NAME} is not UTF-8 text ({exc.reason}); convert it with iconv first") from None
    try:  # a stream opened with errors="surrogateescape" lets undecodable bytes through as surrogates
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{STDIN_NAME} is not UTF-8 text; convert it with iconv first") from None
    if "\x00" in raw[:_BINARY_PROBE]:
        raise InputError(f"{STDIN_NAME} looks like a binary file, not text; pipe in UTF-8 text")
    text = _normalise(raw)
    if not text.strip():
        raise InputError(f"{STDIN_NAME} is empty; pipe in article text or JSON Lines")
    if text.lstrip().startswith("{"):
        return _parse_jsonl(text, STDIN_NAME, "stdin", default_date)
    return [(Article(id="stdin", text=text, title=_first_line(text), date=default_date), STDIN_NAME)]


def _decode(path: Path) -> str:
    """Read a file as UTF-8 (BOM stripped, newlines normalised), rejecting binary data."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}; check its permissions") from None
    if b"\x00" in data[:_BINARY_PROBE]:
        raise InputError(
            f"{path} looks like a binary file, not text (it contains NUL bytes); "
            "pass UTF-8 .txt, .md or .jsonl files"
        )
    offset = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]
        quoted = shlex.quote(str(path))
        raise InputError(
            f"{path} is not UTF-8 text (byte 0x{bad:02x} at offset {exc.start + offset}); "
            f"convert it with iconv, e.g. iconv -f WINDOWS-1252 -t UTF-8 {quoted} > converted{path.suffix}"
        ) from None
    return _normalise(text)


def _parse_jsonl(
    text: str, name: str, stem: str, default_date: str | None
) -> list[tuple[Article, str]]:
    """Parse every non-blank line of a JSON Lines document into an Article."""
    return [(_record_to_article(record, where, f"{stem}-{lineno}", default_date), where)
            for lineno, where, record in json_lines(text, name)]


def json_lines(text: str, name: str) -> Iterator[tuple[int, str, Any]]:
    """(line number, "NAME line N", parsed value) for each non-blank line; InputError names the bad line."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name} line {lineno}"
        try:
            yield lineno, where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})") from None


def _record_to_article(record: Any, where: str, fallback_id: str, default_date: str | None) -> Article:
    """Validate one JSON Lines record and turn it into an Article."""
    if not isinstance(record, dict):
        raise InputError(
            f"{where}: missing 'text' field (the line is a JSON {_json_type(record)}, "
            "not an object like {\"id\": ..., \"text\": ...})"
        )
    if "text" not in record or record["text"] is None:
        raise InputError(f"{where}: missing 'text' field; every record needs the article text")
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(f"{where}: 'text' must be a string, got a JSON {_json_type(text)}")
    if not text.strip():
        raise InputError(f"{where}: 'text' is empty; give the article text")
    raw_id = record.get("id")
    if raw_id is None:
        article_id = fallback_id
    elif isinstance(raw_id, str) and raw_id.strip():
        article_id = raw_id.strip()
    elif isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool):
        article_id = str(raw_id)
    else:
        raise InputError(f"{where}: 'id' must be a non-empty string or a number, got {json.dumps(raw_id)}")
    fields: dict[str, str | None] = {}
    for key in (*_OPTIONAL_FIELDS, "date"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: {key!r} must be a string, got a JSON {_json_type(value)}")
        fields[key] = (value.strip() or None) if value is not None else None
    record_date = fields.pop("date")
    article_date = _parse_date(record_date, where) if record_date else default_date
    return Article(id=article_id, text=_normalise(text), date=article_date, **fields)


# --- helpers ---------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Strip a leading BOM and turn CRLF / CR line endings into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _first_line(text: str) -> str | None:
    """The first non-empty line, stripped of whitespace and Markdown heading '#' marks."""
    for line in text.split("\n"):
        title = line.strip()
        if title.startswith("#"):
            title = _ATX_CLOSE_RE.sub("", title.lstrip("#")).strip()
        if title:
            return title
    return None


def _parse_default_date(value: str) -> str:
    """Validate `default_date` as YYYY-MM-DD."""
    try:
        if not _DATE_RE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise InputError(f"invalid default date {value!r}; use YYYY-MM-DD, e.g. 2024-03-01") from None


def _parse_date(value: str, where: str) -> str:
    """Accept YYYY-MM-DD or an ISO datetime and return the YYYY-MM-DD date part."""
    value = value.strip()
    try:
        if not _DATE_RE.match(value):
            raise ValueError
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        if value[10] not in "Tt ":
            raise ValueError
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        raise InputError(
            f"{where}: invalid date {value!r}; use YYYY-MM-DD or an ISO datetime like 2024-03-01T12:00:00Z"
        ) from None


def _json_type(value: Any) -> str:
    """The JSON type name of a decoded value, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)
