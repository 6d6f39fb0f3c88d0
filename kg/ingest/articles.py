"""Pipeline stage 1: read articles from text, Markdown, HTML and JSON Lines files, directories or stdin.

Every problem with the input is an `kg.errors.InputError` with a one-line message naming the
file (and line, for JSON Lines). By default the first problem is raised, and each file is
validated completely before any of its articles is yielded. With `on_error`, a bad file or a
bad JSON Lines record is handed to it as a `Skipped` and reading goes on; JSON Lines files are
then streamed line by line, so memory does not grow with the size of a dump.

Reading is bounded: an article (a file, standard input's text, a record's `text`) may hold at
most `Limits.article_bytes`, a JSON Lines line at most `Limits.line_bytes`; devices and sockets
(`/dev/zero`) are refused before they are read, and a closed standard input is an error.
"""
from __future__ import annotations

import io
import json
import re
import shlex
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from kg.errors import InputError
from kg.model import Article

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
JSONL_SUFFIXES = frozenset({".jsonl", ".json-lines"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES
STDIN = "-"
STDIN_NAME = "<stdin>"
_BOM = b"\xef\xbb\xbf"
_BINARY_PROBE = 8192
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ATX_CLOSE_RE = re.compile(r"\s+#+$")  # optional closing hashes of "## Title ##"
_OPTIONAL_FIELDS = ("title", "url", "source")
_READ_CHUNK = 1 << 20
MAX_ARTICLE_BYTES = 10_000_000  # default: the most bytes of one article's text
MAX_LINE_BYTES = 20_000_000  # default: the most bytes of one JSON Lines line (a record)


@dataclass(frozen=True)
class Limits:
    """How much one article and one JSON Lines line may hold, in bytes (UTF-8)."""

    article_bytes: int = MAX_ARTICLE_BYTES
    line_bytes: int = MAX_LINE_BYTES

    def __post_init__(self) -> None:
        if self.article_bytes < 1 or self.line_bytes < 1:
            raise InputError("size limits must be at least 1 byte")


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Skipped:
    """An article (or a whole file) left out of a run, and why."""

    where: str  # "a.txt", "feed.jsonl line 3" or "article 'x'"
    reason: str  # the one-line error message (it names `where` too)
    article: str | None = None  # the id of an article read, then skipped by a later stage


_Item = tuple[Article, str] | Skipped  # an article with its location, or what could not be read
OnError = Callable[[Skipped], None]


def read_articles(
    paths: Iterable[str | Path],
    default_date: str | None = None,
    stdin: TextIO | None = None,
    on_error: OnError | None = None,
    limits: Limits | None = None,
    locations: dict[str, str] | None = None,
) -> Iterator[Article]:
    """Yield one Article per text/HTML file or JSON Lines record found in `paths` ("-" = stdin).

    Arguments are checked eagerly (bad `default_date`, missing paths, empty directories);
    the files themselves are read lazily. Without `on_error` the first bad file or record
    raises InputError; with it, each one is passed to `on_error` and skipped. `limits`
    (default `DEFAULT_LIMITS`) bounds an article and a JSON Lines line; past them the article
    or the line is refused (skipped). `locations`, when given, gets each article's id mapped to
    where it was read ("feed.jsonl line 3"), to name it when a later stage fails on it.
    """
    if default_date is not None:
        default_date = _parse_default_date(default_date)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    sources = _expand(paths)
    return _generate(sources, default_date, stdin, on_error, limits or DEFAULT_LIMITS,
                     locations if locations is not None else {})


def count_articles(paths: Iterable[str | Path]) -> int | None:
    """How many articles `paths` hold (a JSON Lines file counts its non-blank lines); None with stdin
    or a JSON Lines FIFO or device (counting would drain it).

    Cheap enough to run before a long build, to give a progress bar its total.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    total = 0
    for source in _expand(paths):
        if source == STDIN:
            return None
        path = Path(source)
        if path.suffix.lower() not in JSONL_SUFFIXES:
            total += 1
            continue
        try:
            if not path.is_file():  # a FIFO would be drained here, a device never ends
                return None
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        except OSError:
            total += 1  # reported (and skipped) when it is read
    return total


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
    sources: list[str | Path], default_date: str | None, stdin: TextIO | None, on_error: OnError | None,
    limits: Limits, seen: dict[str, str],
) -> Iterator[Article]:
    """Read each source in turn, rejecting article ids already seen in this run (`seen`: id -> where)."""
    seen.clear()
    for source in sources:
        if source == STDIN:
            items = _read_stdin(stdin if stdin is not None else sys.stdin, default_date, limits)
        else:
            items = _read_file(Path(source), default_date, limits)
        if on_error is None:
            items = _validated(items, seen)
        for item in items:
            if isinstance(item, Skipped):
                on_error(item)
                continue
            article, where = item
            if article.id in seen and on_error is not None:
                on_error(Skipped(where, _duplicate(article.id, seen[article.id], where)))
                continue
            seen[article.id] = where
            yield article


def _validated(items: Iterable[_Item], seen: dict[str, str]) -> list[_Item]:
    """All of one source's items, or InputError for its first bad record or duplicate id."""
    batch = list(items)
    ids = dict(seen)
    for item in batch:
        if isinstance(item, Skipped):
            raise InputError(item.reason)
        article, where = item
        if article.id in ids:
            raise InputError(_duplicate(article.id, ids[article.id], where))
        ids[article.id] = where
    return batch


def _duplicate(article_id: str, first: str, again: str) -> str:
    return f"duplicate article id {article_id!r}: {first} and {again}; give each article a unique id"


# --- readers ---------------------------------------------------------------------------


def _read_file(path: Path, default_date: str | None, limits: Limits = DEFAULT_LIMITS) -> Iterator[_Item]:
    """Read one file: its articles with their locations, or Skipped for what cannot be read."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            raise InputError(
                f"{path}: plain .json is not read; write one JSON object per line to a .jsonl file")
        _check_readable_kind(path)
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl_file(path, default_date, limits)
            return
        if suffix in HTML_SUFFIXES:
            yield _read_html(path, default_date, limits), str(path)
            return
        text = _decode(path, limits)
        if not text.strip():
            raise InputError(f"{path} is empty; remove it or add the article text")
    except InputError as exc:
        yield Skipped(str(path), str(exc))
        return
    yield Article(id=path.stem, text=text, title=_first_line(text), date=default_date), str(path)


def _read_jsonl_file(path: Path, default_date: str | None, limits: Limits = DEFAULT_LIMITS) -> Iterator[_Item]:
    """Stream a JSON Lines file line by line; a line that is not UTF-8, or too long, is skipped on its own."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_BINARY_PROBE)
            if b"\x00" in head:
                raise InputError(_binary_message(path))
            records = yield from _jsonl_stream(_bounded_lines(handle, limits.line_bytes, head), str(path),
                                               path.stem, default_date, limits)
    except OSError as exc:
        raise InputError(_unreadable_message(path, exc)) from None
    if not records:
        raise InputError(f"{path} is empty; remove it or add the article text")


def _bounded_lines(handle: io.BufferedIOBase, limit: int, head: bytes = b"") -> Iterator[bytes | None]:
    """The lines of a binary stream (after the bytes `head` already read from it), each at most
    `limit` bytes; None in place of a longer line, which is read through in chunks, never held."""
    pending = head
    while True:
        newline = pending.find(b"\n")
        while newline < 0 and len(pending) <= limit:
            more = handle.read(_READ_CHUNK)
            if not more:
                break
            pending += more
            newline = pending.find(b"\n", len(pending) - len(more))
        if newline >= 0 and newline <= limit:
            yield pending[:newline + 1]
            pending = pending[newline + 1:]
            continue
        if len(pending) <= limit:  # the end of the stream: the last line has no newline
            if pending:
                yield pending
            return
        yield None  # too long: read on to the end of this line
        if newline >= 0:
            pending = pending[newline + 1:]
            continue
        pending = b""
        while True:
            chunk = handle.read(_READ_CHUNK)
            if not chunk:
                return
            newline = chunk.find(b"\n")
            if newline >= 0:
                pending = chunk[newline + 1:]
                break


def _jsonl_stream(lines: Iterable[bytes | None], name: str, stem: str, default_date: str | None,
                  limits: Limits) -> Iterator[_Item]:
    """The items of JSON Lines given as raw lines (None: a line over the limit); returns how many
    records (non-blank lines) there were."""
    records = 0
    for lineno, raw in enumerate(lines, start=1):
        where = f"{name} line {lineno}"
        if raw is None:
            records += 1
            yield Skipped(where, f"{where}: longer than {limits.line_bytes:,} bytes (the line size limit); "
                                 "split the record or raise --max-line-size")
            continue
        if lineno == 1:
            raw = raw.removeprefix(_BOM)
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            records += 1
            yield Skipped(where, f"{where}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                                 "convert the file with iconv")
            continue
        item = _jsonl_item(line, lineno, name, stem, default_date, limits)
        if item is not None:
            records += 1
            yield item
    return records


def _read_html(path: Path, default_date: str | None, limits: Limits = DEFAULT_LIMITS) -> Article:
    """The main text, title and date of a web page (trafilatura; navigation and boilerplate dropped).

    The title becomes the first line of the text, as in a text file, so the extractor treats
    it as a headline.
    """
    import trafilatura  # imported here: it takes a moment and only HTML input needs it

    data = _read_bytes(path, limits.article_bytes)
    if not data.strip():
        raise InputError(f"{path} is empty; remove it or add the article text")
    page = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=False,
        # the page's own publication date only: never a guess from a copyright line
        date_extraction_params={"extensive_search": False, "original_date": True})
    body = _normalise(page.text).strip() if page is not None and page.text else ""
    if not body:
        raise InputError(f"{path}: no article text found in the HTML page; pass the article as text instead")
    title = " ".join(page.title.split()) if page.title else None
    text = f"{title}\n\n{body}\n" if title and not body.startswith(title) else body + "\n"
    page_date = _parse_date(page.date, str(path)) if page.date else default_date
    return Article(id=path.stem, text=text, title=title or _first_line(body), date=page_date,
                   url=page.url or None, source=page.sitename or None)


def _read_stdin(stream: TextIO | None, default_date: str | None,
                limits: Limits = DEFAULT_LIMITS) -> Iterator[_Item]:
    """Read standard input: JSON Lines if the first non-blank line starts with '{' (streamed
    line by line), else one text of at most `limits.article_bytes`."""
    try:
        binary = _stdin_bytes(stream)
        lines = _bounded_lines(binary, limits.line_bytes)
        first: list[bytes | None] = []
        for raw in lines:  # the blank lines before the first record, and that line
            first.append(raw)
            if raw is None or raw.strip():
                break
        start = first[-1].removeprefix(_BOM).lstrip() if first and first[-1] is not None else b""
        if start.startswith(b"{"):
            yield from _jsonl_stream(_chain(first, lines), STDIN_NAME, "stdin", default_date, limits)
            return
        text = _stdin_text(_joined(_chain(first, lines), limits.article_bytes))
    except InputError as exc:
        yield Skipped(STDIN_NAME, str(exc))
        return
    except OSError as exc:
        yield Skipped(STDIN_NAME, f"cannot read {STDIN_NAME}: {exc.strerror or exc}")
        return
    yield Article(id="stdin", text=text, title=_first_line(text), date=default_date), STDIN_NAME


def _joined(lines: Iterable[bytes | None], limit: int) -> bytes:
    """The lines of one text joined; InputError past `limit` bytes (None: a line past the line limit)."""
    parts, size = [], 0
    for raw in lines:
        size += len(raw) if raw is not None else limit + 1
        if size > limit:
            raise InputError(_too_large(STDIN_NAME, limit))
        parts.append(raw)
    return b"".join(parts)


def _chain(first: list, rest: Iterable) -> Iterator:
    yield from first
    yield from rest


def _stdin_bytes(stream: Any) -> io.BufferedIOBase:
    """Standard input as a binary stream (a text stream without one is encoded, as tests give)."""
    if stream is None:
        raise InputError(f"{STDIN_NAME} is closed; pipe in article text or JSON Lines")
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        return binary
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)):
        return stream
    text = stream.read()
    return io.BytesIO(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)


def _stdin_text(raw: bytes) -> str:
    """Standard input's bytes as normalised text; InputError when it is not usable text."""
    if b"\x00" in raw[:_BINARY_PROBE]:
        raise InputError(f"{STDIN_NAME} looks like a binary file, not text; pipe in UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{STDIN_NAME} is not UTF-8 text ({exc.reason}); convert it with iconv first") from None
    text = _normalise(text)
    if not text.strip():
        raise InputError(f"{STDIN_NAME} is empty; pipe in article text or JSON Lines")
    return text


def _check_readable_kind(path: Path) -> None:
    """Refuse devices and sockets (`/dev/zero` never ends) before reading them; FIFOs are read, bounded."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise InputError(_unreadable_message(path, exc)) from None
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode):
        return
    kind = ("a character device" if stat.S_ISCHR(mode) else "a block device" if stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a directory" if stat.S_ISDIR(mode) else "not a file")
    raise InputError(f"{path} is {kind}, not a regular file; pass article files")


def _read_limited(handle: Any, room: int, name: str, limit: int) -> bytes:
    """The rest of a binary stream, InputError when it holds more than `room` bytes."""
    data = handle.read(room + 1) if room >= 0 else b"x"
    if len(data) > room:
        raise InputError(_too_large(name, limit))
    return data


def _too_large(name: str | Path, limit: int) -> str:
    return (f"{name} is larger than {limit:,} bytes (the article size limit); "
            "split it or raise --max-article-size")


def _read_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    """The bytes of a file (at most `limit`), rejecting binary data."""
    _check_readable_kind(path)
    try:
        with path.open("rb") as handle:
            data = _read_limited(handle, limit, str(path), limit)
    except OSError as exc:
        raise InputError(_unreadable_message(path, exc)) from None
    if b"\x00" in data[:_BINARY_PROBE]:
        raise InputError(_binary_message(path))
    return data


def _decode(path: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """Read a file as UTF-8 (BOM stripped, newlines normalised), rejecting binary data."""
    data = _read_bytes(path, limits.article_bytes)
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


def _unreadable_message(path: Path, exc: OSError) -> str:
    return f"cannot read {path}: {exc.strerror or exc}; check its permissions"


def _binary_message(path: Path) -> str:
    return (f"{path} looks like a binary file, not text (it contains NUL bytes); "
            "pass UTF-8 .txt, .md, .html or .jsonl files")


def _jsonl_item(line: str, lineno: int, name: str, stem: str, default_date: str | None,
                limits: Limits = DEFAULT_LIMITS) -> _Item | None:
    """One JSON Lines record as (article, location), Skipped when it is malformed, None when blank."""
    if not line.strip():
        return None
    where = f"{name} line {lineno}"
    try:
        record = _load_json(line, where)
        return _record_to_article(record, where, f"{stem}-{lineno}", default_date, limits), where
    except InputError as exc:
        return Skipped(where, str(exc))


def _load_json(line: str, where: str) -> Any:
    """One line's JSON value; InputError (naming `where`) when it is not JSON or nested too deeply."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: invalid JSON: nested too deeply; a record is one flat JSON object") from None


def json_lines(text: str, name: str) -> Iterator[tuple[int, str, Any]]:
    """(line number, "NAME line N", parsed value) for each non-blank line; InputError names the bad line."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name} line {lineno}"
        yield lineno, where, _load_json(line, where)


def _record_to_article(record: Any, where: str, fallback_id: str, default_date: str | None,
                       limits: Limits = DEFAULT_LIMITS) -> Article:
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
    for key in ("text", "id", *_OPTIONAL_FIELDS, "date"):
        _check_unicode(record.get(key), key, where)
    if len(text) > limits.article_bytes or len(text.encode("utf-8")) > limits.article_bytes:
        raise InputError(f"{where}: 'text' is larger than {limits.article_bytes:,} bytes (the article size "
                         "limit); split the article or raise --max-article-size")
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
    text = _normalise(text)
    title = fields.get("title")
    if title and not text.lstrip().startswith(title):
        text = f"{title}\n\n{text}"  # the title is read as a file's first line is
    return Article(id=article_id, text=text, date=article_date, **fields)


# --- helpers ---------------------------------------------------------------------------


def _check_unicode(value: Any, key: str, where: str) -> None:
    """InputError when a string field holds a lone surrogate (a JSON escape such as \\ud800
    without its pair): it is not text, and no output (Turtle, N-Quads, a store) can hold it."""
    if not isinstance(value, str):
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"{where}: {key!r} holds a lone surrogate (\\u{ord(value[exc.start]):04x} at "
                         f"character {exc.start + 1}), which is not text; fix the record") from None


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
