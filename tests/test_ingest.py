"""Tests for kg.ingest.articles: every input kind and every user-facing error."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kg.errors import InputError, KgError
from kg.ingest.articles import Skipped, article_from_text, count_articles, read_articles
from kg.model import Article


def write(path: Path, content: str | bytes) -> Path:
    """Create `path` (and its parents) with the given text or bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def error_of(paths, **kwargs) -> str:
    """Consume read_articles and return the InputError message it raises."""
    with pytest.raises(InputError) as info:
        list(read_articles(paths, **kwargs))
    message = str(info.value)
    assert "\n" not in message
    return message


# --- input kinds ------------------------------------------------------------------------


def test_plain_text_file(tmp_path):
    f = write(tmp_path / "talks.txt", "\ufeffChina and Russia hold talks\r\n\r\nBeijing met Moscow.\r\n")
    assert list(read_articles([f])) == [
        Article(
            id="talks",
            text="China and Russia hold talks\n\nBeijing met Moscow.\n",
            title="China and Russia hold talks",
        )
    ]


def test_markdown_title_strips_hashes_and_skips_blank_lines(tmp_path):
    f = write(tmp_path / "note.md", "\n   \n## EU condemns strike ##\nBody.\n")
    [article] = read_articles([str(f)])
    assert article.id == "note"
    assert article.title == "EU condemns strike"
    assert article.text == "\n   \n## EU condemns strike ##\nBody.\n"
    assert article.date is None


def test_dot_text_suffix_is_plain_text(tmp_path):
    f = write(tmp_path / "a.text", "Headline\nBody")
    assert [a.id for a in read_articles([f])] == ["a"]


def test_default_date_applies_to_text_files(tmp_path):
    f = write(tmp_path / "a.txt", "Headline")
    [article] = read_articles([f], default_date="2024-03-01")
    assert article.date == "2024-03-01"


def test_jsonl_records(tmp_path):
    f = write(
        tmp_path / "feed.jsonl",
        jsonl(
            {"id": "a1", "text": "Iran warns Israel.", "title": "Warning", "date": "2024-04-02",
             "url": "https://example.org/a1", "source": "Reuters", "extra": 1},
            {"id": 42, "text": "Second."},
        )
        + "\n   \n"
        + jsonl({"text": "No id here."}),
    )
    assert list(read_articles([f], default_date="2024-01-01")) == [
        # the title is read as a file's first line is
        Article(id="a1", text="Warning\n\nIran warns Israel.", title="Warning", date="2024-04-02",
                url="https://example.org/a1", source="Reuters"),
        Article(id="42", text="Second.", date="2024-01-01"),
        Article(id="feed-5", text="No id here.", date="2024-01-01"),
    ]


def test_jsonl_datetime_keeps_date_part_and_json_lines_suffix(tmp_path):
    f = write(
        tmp_path / "feed.json-lines",
        jsonl(
            {"id": "a", "text": "x", "date": "2024-03-01T23:30:00+05:00"},
            {"id": "b", "text": "y", "date": "2024-03-02T08:00:00Z"},
            {"id": "c", "text": "z", "date": "2024-03-03 08:00"},
            {"id": "d", "text": "w", "date": None, "title": "  "},
        ),
    )
    articles = list(read_articles([f], default_date="2020-01-01"))
    assert [(a.id, a.date) for a in articles] == [
        ("a", "2024-03-01"), ("b", "2024-03-02"), ("c", "2024-03-03"), ("d", "2020-01-01")
    ]
    assert articles[3].title is None


def test_directory_recursion_sorted_skips_hidden_and_other_suffixes(tmp_path):
    root = tmp_path / "corpus"
    write(root / "b.txt", "B")
    write(root / "a.md", "A")
    write(root / "sub" / "c.jsonl", jsonl({"id": "c1", "text": "C"}))
    write(root / "sub" / "deeper" / "d.text", "D")
    write(root / "notes.pdf", "ignored")
    write(root / "data.json", "{}")
    write(root / ".hidden.txt", "hidden")
    write(root / ".git" / "x.txt", "hidden dir")
    assert [a.id for a in read_articles([root])] == ["a", "b", "c1", "d"]


def test_multiple_paths_stream_in_order(tmp_path):
    one = write(tmp_path / "one.txt", "1")
    two = write(tmp_path / "two.jsonl", jsonl({"id": "t", "text": "2"}))
    it = read_articles([two, one])
    assert next(it).id == "t"
    assert next(it).id == "one"
    assert list(it) == []


def test_single_path_string_is_not_split_into_characters(tmp_path):
    f = write(tmp_path / "solo.txt", "Solo")
    assert [a.id for a in read_articles(str(f))] == ["solo"]


def test_stdin_plain_text(tmp_path):
    stream = io.StringIO("Russia expels diplomats\r\nMore text.")
    [article] = read_articles(["-"], default_date="2024-05-05", stdin=stream)
    assert article == Article(
        id="stdin", text="Russia expels diplomats\nMore text.", title="Russia expels diplomats", date="2024-05-05"
    )


def test_stdin_json_lines(tmp_path):
    stream = io.StringIO("\n" + jsonl({"id": "s1", "text": "One."}, {"text": "Two.", "date": "2023-12-31"}))
    articles = list(read_articles(["-"], stdin=stream))
    assert articles == [
        Article(id="s1", text="One."),
        Article(id="stdin-3", text="Two.", date="2023-12-31"),
    ]


def test_stdin_defaults_to_sys_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("From the real stdin"))
    [article] = read_articles(["-"])
    assert article.text == "From the real stdin"


def test_stdin_mixed_with_files(tmp_path):
    f = write(tmp_path / "file.txt", "F")
    ids = [a.id for a in read_articles([f, "-"], stdin=io.StringIO("S"))]
    assert ids == ["file", "stdin"]


def test_article_from_text():
    assert article_from_text("# Title\r\nBody") == Article(id="text", text="# Title\nBody", title="Title")
    assert article_from_text("Body", id="x", title="T", date="2024-01-02T10:00:00") == Article(
        id="x", text="Body", title="T", date="2024-01-02"
    )


# --- errors -----------------------------------------------------------------------------


def test_input_error_is_a_kg_error():
    assert issubclass(InputError, KgError)


def test_missing_path(tmp_path):
    missing = tmp_path / "nope.txt"
    assert error_of([missing]).startswith(f"no such file or directory: {missing}")


def test_missing_path_is_reported_before_reading_anything(tmp_path):
    good = write(tmp_path / "good.txt", "Good")
    with pytest.raises(InputError, match="no such file or directory"):
        read_articles([good, tmp_path / "missing.txt"])


@pytest.mark.parametrize("content", ["", "  \n\t\r\n", "\ufeff\n"])
def test_empty_text_file(tmp_path, content):
    f = write(tmp_path / "empty.txt", content)
    assert error_of([f]).startswith(f"{f} is empty")


def test_empty_jsonl_file(tmp_path):
    f = write(tmp_path / "empty.jsonl", "\n\n")
    assert error_of([f]).startswith(f"{f} is empty")


def test_empty_stdin():
    assert error_of(["-"], stdin=io.StringIO("  \n")).startswith("<stdin> is empty")


def test_binary_file(tmp_path):
    f = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert error_of([f]).startswith(f"{f} looks like a binary file, not text")


def test_binary_stdin():
    assert "looks like a binary file" in error_of(["-"], stdin=io.StringIO("abc\x00def"))


def test_non_utf8_file(tmp_path):
    f = write(tmp_path / "latin.txt", "Caf\u00e9 talks".encode("latin-1"))
    message = error_of([f])
    assert message.startswith(f"{f} is not UTF-8 text (byte 0xe9 at offset 3); convert it with iconv")
    assert "iconv -f" in message and str(f) in message.split("iconv", 1)[1]


def test_non_utf8_offset_counts_the_bom(tmp_path):
    f = write(tmp_path / "bom.txt", b"\xef\xbb\xbfab\xff")
    assert "(byte 0xff at offset 5)" in error_of([f])


def test_non_utf8_stdin():
    stream = io.TextIOWrapper(io.BytesIO(b"caf\xe9"), encoding="utf-8")
    assert error_of(["-"], stdin=stream).startswith("<stdin> is not UTF-8 text")


def test_invalid_json_names_file_and_line(tmp_path):
    f = write(tmp_path / "feed.jsonl", jsonl({"id": "a", "text": "ok"}, {"id": "b", "text": "ok"}) + '{"id": "c", "text": \n')
    message = error_of([f])
    assert message.startswith(f"{f} line 3: invalid JSON: Expecting value")


def test_invalid_json_on_stdin_names_line():
    stream = io.StringIO('{"text": "ok"}\n{not json}\n')
    assert error_of(["-"], stdin=stream).startswith("<stdin> line 2: invalid JSON: ")


def test_missing_text_field(tmp_path):
    f = write(tmp_path / "feed.jsonl", jsonl({"id": "a", "text": "ok"}, {"id": "b", "title": "no text"}))
    assert error_of([f]).startswith(f"{f} line 2: missing 'text' field")


@pytest.mark.parametrize("line", ['["a", "b"]', '"just a string"', "17", "null"])
def test_line_not_an_object(tmp_path, line):
    f = write(tmp_path / "feed.jsonl", jsonl({"text": "ok"}) + line + "\n")
    assert error_of([f]).startswith(f"{f} line 2: missing 'text' field (the line is a JSON ")


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"text": ""}, "line 1: 'text' is empty"),
        ({"text": "  \n"}, "line 1: 'text' is empty"),
        ({"text": 5}, "line 1: 'text' must be a string, got a JSON number"),
        ({"text": None}, "line 1: missing 'text' field"),
        ({"text": "x", "id": ""}, "line 1: 'id' must be a non-empty string or a number"),
        ({"text": "x", "id": True}, "line 1: 'id' must be a non-empty string or a number"),
        ({"text": "x", "title": ["t"]}, "line 1: 'title' must be a string, got a JSON array"),
        ({"text": "x", "date": 20240301}, "line 1: 'date' must be a string, got a JSON number"),
    ],
)
def test_invalid_field_values(tmp_path, record, expected):
    f = write(tmp_path / "feed.jsonl", jsonl(record))
    assert error_of([f]).startswith(f"{f} {expected}")


@pytest.mark.parametrize("bad_date", ["yesterday", "2024-13-01", "01/03/2024", "20240301", "2024-03-01x12:00", "2024-03-01T25:00"])
def test_invalid_record_date_names_line(tmp_path, bad_date):
    f = write(tmp_path / "feed.jsonl", jsonl({"text": "ok"}, {"text": "x", "date": bad_date}))
    assert error_of([f]).startswith(f"{f} line 2: invalid date {bad_date!r}; use YYYY-MM-DD")


@pytest.mark.parametrize("bad", ["2024-3-1", "20240301", "2024-02-30", "March 1", "2024-03-01T00:00"])
def test_invalid_default_date_is_raised_immediately(tmp_path, bad):
    f = write(tmp_path / "a.txt", "A")
    with pytest.raises(InputError, match=r"^invalid default date .*; use YYYY-MM-DD"):
        read_articles([f], default_date=bad)


def test_malformed_line_yields_nothing_from_that_file(tmp_path):
    first = write(tmp_path / "a.txt", "First")
    feed = write(tmp_path / "b.jsonl", jsonl(*({"id": f"r{i}", "text": "ok"} for i in range(49))) + "oops\n")
    it = read_articles([first, feed])
    assert next(it).id == "a"
    with pytest.raises(InputError, match=r"b\.jsonl line 50: invalid JSON"):
        next(it)


def test_directory_without_article_files(tmp_path):
    root = tmp_path / "empty_dir"
    write(root / "readme.pdf", "x")
    write(root / ".hidden.txt", "x")
    message = error_of([root])
    assert message.startswith(f"{root} contains no article files (")
    assert ".jsonl" in message and ".txt" in message


def test_duplicate_ids_across_files(tmp_path):
    a = write(tmp_path / "x" / "report.txt", "One")
    b = write(tmp_path / "y" / "report.md", "Two")
    it = read_articles([a, b])
    assert next(it).id == "report"
    with pytest.raises(InputError) as info:
        next(it)
    assert str(info.value).startswith(f"duplicate article id 'report': {a} and {b}")


def test_duplicate_ids_within_jsonl_name_both_lines(tmp_path):
    f = write(tmp_path / "feed.jsonl", jsonl({"id": "a", "text": "1"}, {"id": "b", "text": "2"}, {"id": "a", "text": "3"}))
    assert error_of([f]).startswith(f"duplicate article id 'a': {f} line 1 and {f} line 3")


def test_duplicate_between_numeric_and_string_id(tmp_path):
    f = write(tmp_path / "feed.jsonl", jsonl({"id": 7, "text": "1"}, {"id": "7", "text": "2"}))
    assert "duplicate article id '7'" in error_of([f])


def test_stdin_given_twice():
    with pytest.raises(InputError, match="more than once"):
        read_articles(["-", "-"], stdin=io.StringIO("x"))


def test_plain_json_file_is_rejected(tmp_path):
    f = write(tmp_path / "data.json", '[{"text": "x"}]')
    assert error_of([f]).startswith(f"{f}: plain .json is not read")


def test_article_from_text_errors():
    with pytest.raises(InputError, match="is empty"):
        article_from_text("  ")
    with pytest.raises(InputError, match=r"^article 'x': invalid date 'soon'"):
        article_from_text("Body", id="x", date="soon")


def test_stdin_with_undecodable_bytes_is_an_input_error():
    import io

    stream = io.TextIOWrapper(io.BytesIO(b"caf\xe9 Russia met Israel."), encoding="utf-8", errors="surrogateescape")
    with pytest.raises(InputError, match="not UTF-8"):
        list(read_articles(["-"], stdin=stream))


# --- HTML pages -------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Norway hosts talks between Colombia and rebels | World Desk</title>
<meta property="og:site_name" content="World Desk">
{date_meta}
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/subscribe">Subscribe to our newsletter for daily briefings</a></li></ul></nav>
<header><h1>Norway hosts talks between Colombia and rebels</h1></header>
<main><article>
<p>Norway hosted a new round of peace talks between the Colombian government and the ELN rebels in Oslo on Saturday.</p>
<p>The Norwegian foreign minister met both delegations and urged them to agree on a ceasefire.</p>
<p>Colombia thanked Norway for its support, and the rebels promised to release two hostages.</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/x">Celebrity chef opens a restaurant in Paris</a></li></ul></aside>
<footer><p>Copyright 2023 World Desk. All rights reserved.</p><p><a href="/privacy">Privacy policy</a> | Contact us</p></footer>
</body></html>
"""
DATED = '<meta property="article:published_time" content="2024-02-11T09:30:00Z">'
BOILERPLATE = ("Subscribe", "newsletter", "Home", "Most read", "Celebrity chef", "Copyright", "Privacy", "Contact us")


def test_html_page_main_text_title_and_date(tmp_path):
    page = write(tmp_path / "oslo-talks.html", PAGE.format(date_meta=DATED))
    [article] = read_articles([page])
    assert article.id == "oslo-talks"
    assert article.title == "Norway hosts talks between Colombia and rebels"
    assert article.date == "2024-02-11"
    assert article.source == "World Desk"
    assert article.text.split("\n") == [
        "Norway hosts talks between Colombia and rebels",
        "",
        "Norway hosted a new round of peace talks between the Colombian government and the ELN rebels "
        "in Oslo on Saturday.",
        "The Norwegian foreign minister met both delegations and urged them to agree on a ceasefire.",
        "Colombia thanked Norway for its support, and the rebels promised to release two hostages.",
        "",
    ]
    assert not [word for word in BOILERPLATE if word in article.text]


def test_html_page_without_a_date_takes_the_default_never_a_guess(tmp_path):
    # the footer's "Copyright 2023" must not become the article date
    page = write(tmp_path / "undated.htm", PAGE.format(date_meta=""))
    [article] = read_articles([page], default_date="2024-05-01")
    assert article.date == "2024-05-01"
    [article] = read_articles([page])
    assert article.date is None


def test_html_in_a_directory_and_declared_charset(tmp_path):
    latin = PAGE.format(date_meta=DATED).replace('charset="utf-8"', 'charset="iso-8859-1"').replace(
        "Oslo", "Troms\u00f8")
    write(tmp_path / "pages" / "a.html", latin.encode("latin-1"))
    [article] = read_articles([tmp_path / "pages"])
    assert "in Troms\u00f8 on Saturday" in article.text


def test_html_page_without_article_text(tmp_path):
    page = write(tmp_path / "menu.html", "<html><head><script>var x = 1;</script></head><body><img src='a.png'></body></html>")
    assert error_of([page]).startswith(f"{page}: no article text found in the HTML page")


# --- skipping bad input (on_error) ------------------------------------------------------


def read_skipping(paths, **kwargs) -> tuple[list[str], list[Skipped]]:
    """The ids read and what was skipped, with an on_error collector."""
    skipped: list[Skipped] = []
    ids = [a.id for a in read_articles(paths, on_error=skipped.append, **kwargs)]
    return ids, skipped


def test_bad_files_and_records_are_skipped_and_the_rest_read(tmp_path):
    root = tmp_path / "corpus"
    write(root / "a.txt", "A")
    write(root / "b.txt", b"")
    write(root / "c.txt", b"\x89PNG\r\n\x00\x00")
    write(root / "d.jsonl", jsonl({"id": "d1", "text": "D1"}) + '{"id": "d2", "text": oops}\n'
          + jsonl({"id": "d3"}, {"id": "d4", "text": "D4"}, {"id": "a", "text": "dup"}))
    write(root / "e.jsonl", b'{"id": "e1", "text": "caf\xe9"}\n{"id": "e2", "text": "E2"}\n')
    write(root / "f.md", "F")
    ids, skipped = read_skipping([root])
    assert ids == ["a", "d1", "d4", "e2", "f"]
    assert [s.where for s in skipped] == [
        str(root / "b.txt"), str(root / "c.txt"), f"{root / 'd.jsonl'} line 2", f"{root / 'd.jsonl'} line 3",
        f"{root / 'd.jsonl'} line 5", f"{root / 'e.jsonl'} line 1"]
    reasons = [s.reason for s in skipped]
    assert reasons[0].startswith(f"{root / 'b.txt'} is empty")
    assert "looks like a binary file" in reasons[1]
    assert reasons[2].startswith(f"{root / 'd.jsonl'} line 2: invalid JSON")
    assert reasons[3].startswith(f"{root / 'd.jsonl'} line 3: missing 'text' field")
    assert reasons[4].startswith(f"duplicate article id 'a': {root / 'a.txt'} and {root / 'd.jsonl'} line 5")
    assert reasons[5].startswith(f"{root / 'e.jsonl'} line 1: not UTF-8 text (byte 0xe9)")
    assert all("\n" not in r for r in reasons)


def test_unreadable_file_is_skipped(tmp_path):
    import os

    good = write(tmp_path / "good.txt", "Good")
    locked = write(tmp_path / "locked.txt", "Locked")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read any file")
        ids, skipped = read_skipping([good, locked])
    finally:
        locked.chmod(0o644)
    assert ids == ["good"]
    assert skipped[0].reason.startswith(f"cannot read {locked}: Permission denied")


def test_skipping_streams_a_jsonl_file(tmp_path):
    feed = write(tmp_path / "feed.jsonl", jsonl(*({"id": f"r{i}", "text": "ok"} for i in range(5))) + "oops\n")
    skipped: list[Skipped] = []
    it = read_articles([feed], on_error=skipped.append)
    assert next(it).id == "r0" and not skipped  # yielded before the bad line was read
    assert [a.id for a in it] == ["r1", "r2", "r3", "r4"]
    assert [s.where for s in skipped] == [f"{feed} line 6"]


def test_count_articles(tmp_path):
    root = tmp_path / "corpus"
    write(root / "a.txt", "A")
    write(root / "b.html", PAGE.format(date_meta=""))
    write(root / "c.jsonl", jsonl({"text": "1"}, {"text": "2"}) + "\n  \n" + jsonl({"text": "3"}))
    assert count_articles([root]) == 5
    assert count_articles([root / "a.txt", "-"]) is None


def test_jsonl_title_is_a_first_line_and_a_dateline_is_never_an_actor(tmp_path):
    from kg.extract import extract_events
    from kg.nlp.parse import load_model, parse_article

    f = write(tmp_path / "wire.jsonl", jsonl(
        {"id": "w1", "title": "Chile recalls envoy", "text": "SANTIAGO, May 2 (Reuters) - Chile recalled its ambassador to Peru."},
        {"id": "w2", "text": "LIMA (AP) -- Peru condemned the decision."},
        {"id": "w3", "text": "La Paz - Bolivia recalled its ambassador to Chile."}))
    articles = list(read_articles([f]))
    assert articles[0].text.startswith("Chile recalls envoy\n\n")
    events = [e for a in articles for e in extract_events(parse_article(a, load_model()))]
    subjects = {e.subject.name for e in events}
    assert {"Chile", "Peru", "Bolivia"} <= subjects and not subjects & {"SANTIAGO", "LIMA", "Santiago", "Lima", "La Paz"}
