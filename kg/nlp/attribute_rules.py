"""spaCy's attribute_ruler, its patterns matched without a Python call per token and predicate.

A pipeline's attribute_ruler (en_core_web_sm's maps tags to parts of speech and features, and
fixes some lemmas: 179 patterns) finds its matches with spaCy's Matcher, which evaluates every
`IN`, `NOT_IN` and `REGEX` predicate of every pattern (22 there) on every token in Python,
whatever the token: ~12% of the whole parse, nearly all of it in those calls. Patterns without
operators (`OP`) on plain token attributes need none of that: `speed_up_attribute_ruler` gives
the ruler a `match` that reads each token's attributes once (`Doc.to_array`), looks up the
patterns that can start there by a value their first token must have (its tag, its lowercase
form, ...), and checks those alone. It finds exactly the matches spaCy's Matcher finds (tested
on real text), and the ruler applies them as before. A ruler with any other pattern is left as
it is.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from typing import TYPE_CHECKING, Any

from spacy.attrs import IDS
from spacy.pipeline import AttributeRuler
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc

if TYPE_CHECKING:
    from spacy.language import Language

# token attributes a compiled pattern may test: string-valued ones, and boolean flags
_STRING_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE")
_FLAG_ATTRS = ("IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "LIKE_NUM")
_EQ, _IN, _NOT_IN, _REGEX = range(4)

Check = tuple[int, int, Any]  # (attribute column, one of _EQ.., operand) on one token's values
Entry = tuple[int, int, tuple[Check, ...], tuple[tuple[Check, ...], ...]]  # order, match id, checks


class _Uncompilable(Exception):
    """A pattern this module cannot match exactly as spaCy's Matcher does."""


class _Compiled:
    """A ruler's patterns as checks on token attribute values, indexed by a value their first
    token must have."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.attrs: list[str] = []  # the attributes any pattern reads, in `Doc.to_array` order
        # (column, value) -> the patterns whose first token must have that value, that check left
        self.starting: dict[tuple[int, int], list[Entry]] = {}
        self.anywhere: list[Entry] = []  # patterns without such a value
        self._regex_results: dict[tuple[str, int], bool] = {}
        for key, patterns in _ruler_patterns(ruler):
            for pattern in patterns:
                self._add(int(key), get_string_id(key), pattern)

    def _add(self, order: int, match_id: int, pattern: list[dict]) -> None:
        if not pattern:
            raise _Uncompilable("an empty pattern")
        tokens = [self._token_checks(spec) for spec in pattern]
        first, rest = tokens[0], tuple(tokens[1:])
        # the first token's equality check, else its first IN, becomes the index
        lead = next((c for c in first if c[1] == _EQ), None) or next((c for c in first if c[1] == _IN), None)
        if lead is None:
            self.anywhere.append((order, match_id, first, rest))
            return
        left = tuple(c for c in first if c is not lead)
        column, _, operand = lead
        for value in (operand,) if lead[1] == _EQ else sorted(operand):
            self.starting.setdefault((column, value), []).append((order, match_id, left, rest))

    def _column(self, name: str) -> int:
        if name not in self.attrs:
            self.attrs.append(name)
        return self.attrs.index(name)

    def _token_checks(self, spec: dict) -> tuple[Check, ...]:
        checks: list[Check] = []
        for raw_name, value in spec.items():
            name = raw_name.upper() if isinstance(raw_name, str) else raw_name
            name = "ORTH" if name == "TEXT" else name
            if name in _FLAG_ATTRS and isinstance(value, bool):
                checks.append((self._column(name), _EQ, int(value)))
            elif name in _STRING_ATTRS and isinstance(value, str):
                checks.append((self._column(name), _EQ, get_string_id(value)))
            elif name in _STRING_ATTRS and isinstance(value, dict) and value:
                for operator, operand in value.items():
                    checks.append(self._predicate(self._column(name), operator, operand))
            else:
                raise _Uncompilable(f"{raw_name!r}: {value!r}")
        return tuple(checks)

    def _predicate(self, column: int, operator: str, operand: Any) -> Check:
        if operator == "REGEX" and isinstance(operand, str):
            return column, _REGEX, re.compile(operand)
        if operator in ("IN", "NOT_IN") and isinstance(operand, list) and all(isinstance(v, str) for v in operand):
            return column, _IN if operator == "IN" else _NOT_IN, frozenset(get_string_id(v) for v in operand)
        raise _Uncompilable(f"{operator}: {operand!r}")

    def _passes(self, values: list[int], checks: tuple[Check, ...], strings: StringStore) -> bool:
        for column, kind, operand in checks:
            value = values[column]
            if kind == _EQ:
                if value != operand:
                    return False
            elif kind == _IN:
                if value not in operand:
                    return False
            elif kind == _NOT_IN:
                if value in operand:
                    return False
            else:  # the Matcher searches the attribute's text
                known = self._regex_results.get((operand.pattern, value))
                if known is None:
                    known = self._regex_results[(operand.pattern, value)] = bool(operand.search(strings[value]))
                if not known:
                    return False
        return True

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """The ruler's matches in `doc`, as `AttributeRuler.match` gives them: (pattern order,
        match id, start, end), sorted, so that later rules take precedence."""
        if not self.attrs or not len(doc):
            return []
        rows = doc.to_array([IDS[name] for name in self.attrs]).tolist()
        if len(self.attrs) == 1:
            rows = [[value] for value in rows]
        columns = range(len(self.attrs))
        starting, anywhere, passes, length = self.starting, self.anywhere, self._passes, len(rows)
        strings = doc.vocab.strings
        found = set()
        for start, values in enumerate(rows):
            indexed = (entry for column in columns for entry in starting.get((column, values[column]), ()))
            for order, match_id, first, rest in chain(indexed, anywhere):
                end = start + 1 + len(rest)
                if end <= length and passes(values, first, strings) and \
                        all(passes(rows[start + 1 + i], checks, strings) for i, checks in enumerate(rest)):
                    found.add((order, match_id, start, end))
        return sorted(found)


def _ruler_patterns(ruler: AttributeRuler) -> Iterable[tuple[str, list[list[dict]]]]:
    """Each match key of the ruler's Matcher with its patterns (the ruler numbers its rules
    "0", "1", ...); only patterns without operators, or _Uncompilable."""
    for order in range(len(ruler.attrs)):
        key = str(order)
        rule = ruler.matcher.get(key)
        if rule is None:
            raise _Uncompilable(f"no rule {key}")
        _, patterns = rule
        for pattern in patterns:
            for spec in pattern:
                if not isinstance(spec, dict) or any(str(name).upper() in ("OP", "_") for name in spec):
                    raise _Uncompilable(f"{spec!r}")
        yield key, patterns


def speed_up_attribute_ruler(nlp: Language) -> bool:
    """Give the pipeline's spaCy attribute_ruler (if any) the faster matching, when all its
    patterns can be compiled; True if it was. The ruler's results are unchanged."""
    done = False
    for _, component in nlp.pipeline:
        if type(component) is AttributeRuler and component.attrs and _compiled(component) is not None:
            # the same object, so that the pipeline and its listeners are untouched
            component.__class__ = FastAttributeRuler
            done = True
    return done


def _compiled(ruler: AttributeRuler) -> _Compiled | None:
    """The ruler's patterns compiled, or None when one cannot be; made again after patterns are
    added or cleared (`add` appends to `ruler.attrs`, `clear` makes a new list)."""
    made = getattr(ruler, "_kg_compiled", None)
    if made is None or made[0] is not ruler.attrs or made[1] != len(ruler.attrs):
        try:
            compiled = _Compiled(ruler)
        except _Uncompilable:
            compiled = None
        made = ruler._kg_compiled = (ruler.attrs, len(ruler.attrs), compiled)
    return made[2]


class FastAttributeRuler(AttributeRuler):
    """spaCy's AttributeRuler, its matches found by `_Compiled` while its patterns allow."""

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        compiled = _compiled(self)
        return compiled.match(doc) if compiled is not None else super().match(doc)

    @contextmanager
    def memory_zone(self, mem: Any = None) -> Iterator[Any]:
        """Part of `Language.memory_zone`: when it ends, the results of the REGEX predicates
        kept by string id (two or so per word seen) are forgotten with the words."""
        try:
            yield mem
        finally:
            made = getattr(self, "_kg_compiled", None)
            if made is not None and made[2] is not None:
                made[2]._regex_results.clear()
