"""The event lexicon's coverage of the CAMEO event codes (`kg lexicon`): how many lexicon rows
point at each code, which codes only the coding rules reach, and a summary of both."""
from __future__ import annotations

from dataclasses import dataclass

from kg.cameo import cameo_code

from .lexicon import coverage, intent_codes, load_lexicon, refusal_codes

__all__ = ["LexiconCoverage", "lexicon_coverage"]


@dataclass(frozen=True)
class LexiconCoverage:
    """Lexicon rows per CAMEO event code (3 or 4 digits, 0 where no row points at it), the codes
    no row points at that the intent, threat and refusal rules reach, and the row counts."""

    rows: int
    coded_rows: int
    rows_per_code: dict[str, int]
    by_coding_rules: frozenset[str]

    @property
    def codes_with_rows(self) -> int:
        return sum(1 for n in self.rows_per_code.values() if n)

    @property
    def roots_with_rows(self) -> int:
        return len({code[:2] for code, n in self.rows_per_code.items() if n})

    def summary(self) -> dict[str, int]:
        return {"rows": self.rows, "coded_rows": self.coded_rows, "codes": len(self.rows_per_code),
                "codes_with_rows": self.codes_with_rows, "codes_by_coding_rules": len(self.by_coding_rules),
                "roots_with_rows": self.roots_with_rows}

    def shown(self, missing: bool = False) -> dict[str, int]:
        """Rows per code; with `missing`, only the codes no row points at."""
        return {code: n for code, n in self.rows_per_code.items() if not missing or n == 0}

    def as_json(self, missing: bool = False) -> dict:
        return {"summary": self.summary(), "rows_per_code": self.shown(missing)}

    def text_lines(self, missing: bool = False) -> list[str]:
        """One line per code shown (code, rows, name, whether the coding rules reach it), then the summary."""
        lines = []
        for code, n in self.shown(missing).items():
            note = "  (reached by the coding rules)" if code in self.by_coding_rules else ""
            lines.append(f"{code:<5} {n:>4}  {cameo_code(code).name}{note}")
        codes, covered = len(self.rows_per_code), self.codes_with_rows
        lines.append(f"{self.rows} rows ({self.coded_rows} with a code); {covered} of {codes} "
                     f"CAMEO event codes ({covered / codes:.0%}) have at least one row, {len(self.by_coding_rules)} "
                     f"more are reached by the intent, threat and refusal rules; {self.roots_with_rows} of 20 roots "
                     f"have rows")
        return lines


def lexicon_coverage() -> LexiconCoverage:
    """The shipped event lexicon's coverage of the CAMEO event codes."""
    entries = load_lexicon().entries
    counts = coverage()
    by_rules = frozenset(c for c in (*intent_codes().values(), *refusal_codes().values())
                         if c in counts and not counts[c])
    return LexiconCoverage(rows=len(entries), coded_rows=sum(1 for e in entries if e.cameo),
                           rows_per_code=counts, by_coding_rules=by_rules)
