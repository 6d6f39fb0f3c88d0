"""The queries shipped with kg (ontology/queries/NAME.rq), by name."""
from __future__ import annotations

from importlib.resources import files

from kg.errors import KgError


def canned_query(name: str) -> str:
    """The text of a query shipped in ontology/queries/NAME.rq: only a shipped name is accepted
    (never a path, so `../x` reads nothing outside the queries)."""
    names = list_queries()
    if name not in names:
        raise KgError(f"no canned query named '{name}'; available: {', '.join(names)}")
    return (files("kg.ontology") / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def list_queries() -> list[str]:
    return sorted(p.name[:-3] for p in (files("kg.ontology") / "queries").iterdir() if p.name.endswith(".rq"))
