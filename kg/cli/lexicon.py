"""`kg lexicon`: the event lexicon's coverage of the CAMEO codes (kg.extract.lexicon)."""
from __future__ import annotations

import json

import click

from kg.cli.app import main



@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--missing", is_flag=True, help="List only the CAMEO codes no lexicon row points at.")
def lexicon(fmt: str, missing: bool) -> None:
    """Report the event lexicon's coverage: rows per CAMEO code, the share of codes reachable."""
    from kg.cameo import cameo_code
    from kg.extract.lexicon import intent_codes, refusal_codes
    from kg.extract.lexicon import coverage, load_lexicon

    entries = load_lexicon().entries
    counts = coverage()
    covered = sum(1 for n in counts.values() if n)
    by_rules = {c for c in (*intent_codes().values(), *refusal_codes().values()) if c in counts and not counts[c]}
    roots = {code[:2] for code, n in counts.items() if n}
    summary = {"rows": len(entries), "coded_rows": sum(1 for e in entries if e.cameo),
               "codes": len(counts), "codes_with_rows": covered, "codes_by_coding_rules": len(by_rules),
               "roots_with_rows": len(roots)}
    shown = {code: n for code, n in counts.items() if not missing or n == 0}
    if fmt == "json":
        click.echo(json.dumps({"summary": summary, "rows_per_code": shown}, indent=2))
        return
    for code, n in shown.items():
        note = "  (reached by the coding rules)" if code in by_rules else ""
        click.echo(f"{code:<5} {n:>4}  {cameo_code(code).name}{note}")
    click.echo(f"{summary['rows']} rows ({summary['coded_rows']} with a code); {covered} of {len(counts)} "
               f"CAMEO event codes ({covered / len(counts):.0%}) have at least one row, {len(by_rules)} more are "
               f"reached by the intent, threat and refusal rules; {len(roots)} of 20 roots have rows")
