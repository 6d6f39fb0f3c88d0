"""The CAMEO event-code table (ontology/cameo_codes.tsv) and the ontology names derived from it.

Every code maps to one event class (`class_name`) and, through its root, to the property of
the direct actor-to-actor edge (`edge_property`). Roots carry curated class names; other
codes get UpperCamelCase names from their OEDA label.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

ROOT_CLASSES: dict[str, str] = {
    "01": "PublicStatement",
    "02": "Appeal",
    "03": "ExpressIntentToCooperate",
    "04": "Consult",
    "05": "DiplomaticCooperation",
    "06": "MaterialCooperation",
    "07": "ProvideAid",
    "08": "Yield",
    "09": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "ExhibitForcePosture",
    "16": "ReduceRelations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "UnconventionalMassViolence",
}

EDGE_PROPERTIES: dict[str, str] = {
    "01": "makesStatementAbout",
    "02": "appealsTo",
    "03": "expressesIntentToCooperateWith",
    "04": "consultsWith",
    "05": "cooperatesDiplomaticallyWith",
    "06": "cooperatesMateriallyWith",
    "07": "providesAidTo",
    "08": "yieldsTo",
    "09": "investigates",
    "10": "demandsOf",
    "11": "disapprovesOf",
    "12": "rejects",
    "13": "threatens",
    "14": "protestsAgainst",
    "15": "exhibitsForceAgainst",
    "16": "reducesRelationsWith",
    "17": "coerces",
    "18": "assaults",
    "19": "fights",
    "20": "usesMassViolenceAgainst",
}

# Misspellings in the source labels (OEDA / GDELT files), fixed before names are derived.
_SPELLING = {
    "commment": "comment",
    "Apolgize": "Apologize",
    "adminstrative": "administrative",
    "Ostruct": "Obstruct",
    "matyerial": "material",
    "radiologicalweapons": "radiological weapons",
}


# CAMEO's quad classes by number, defined once.
QUAD_CLASS_NAMES: dict[int, str] = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                                    4: "material conflict"}


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO code with its label, ontology class name and scores."""

    code: str
    name: str  # human label (OEDA label, else the codebook name), spelling fixed
    class_name: str  # local name of the event class in the kgo: namespace
    goldstein: float
    quad_class: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    root: str  # two-digit root code
    plover: str | None  # PLOVER event category, when mapped
    parent: str | None  # code of the parent class; None for roots


def ontology_file(name: str) -> Traversable:
    """A file of the `kg.ontology` data package (ontology/), installed or in a source checkout."""
    try:
        return resources.files("kg.ontology") / name
    except ModuleNotFoundError:  # running from a checkout that was never installed
        return Path(__file__).resolve().parent.parent / "ontology" / name


def cameo_code(code: str) -> CameoCode:
    """The entry of one CAMEO code ('0253'); ValueError when the code does not exist."""
    try:
        return _table()[code.strip()]
    except KeyError:
        raise ValueError(f"unknown CAMEO code {code!r} (expected one of the 2-4 digit codes in "
                         "ontology/cameo_codes.tsv)") from None


# Roots of coercive and violent acts (force posture, reduced relations, coercion, assault,
# fighting, mass violence): announced or possible, such an act is a threat (13x).
CONFLICT_ROOTS = frozenset({"15", "16", "17", "18", "19", "20"})


def all_codes() -> list[CameoCode]:
    """Every CAMEO code, in table order (roots first within each root)."""
    return list(_table().values())


def class_name(code: str | None) -> str:
    """Local name of the event class for a CAMEO code; 'Event' when there is no code."""
    return "Event" if code is None else cameo_code(code).class_name


def edge_property(code: str) -> str:
    """Local name of the direct-edge property of a code's root ('0253' -> 'appealsTo')."""
    return EDGE_PROPERTIES[cameo_code(code).root]


@functools.cache
def _table() -> dict[str, CameoCode]:
    text = ontology_file("cameo_codes.tsv").read_text(encoding="utf-8")
    table: dict[str, CameoCode] = {}
    for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
        code = row["code"].strip()
        root = row["root"].strip()
        label = _fix(row["name_oeda"].strip() or row["name"].strip())
        if len(code) == 2:
            label = label.capitalize()
        table[code] = CameoCode(
            code=code,
            name=label,
            class_name=_derive_class_name(code, root, label),
            # 1213 and 1214 have no Goldstein value in GDELT's table: inherit the parent's
            goldstein=float(row["goldstein"] or table[code[:-1]].goldstein),
            quad_class=int(row["quadclass"]),
            root=root,
            plover=row["plover_event"].strip() or None,
            parent=None if len(code) == 2 else code[:-1],
        )
    names = [c.class_name for c in table.values()]
    dupes = sorted({n for n in names if names.count(n) > 1})
    assert not dupes, f"CAMEO class names are not unique: {dupes}"
    missing = [c.parent for c in table.values() if c.parent and c.parent not in table]
    assert not missing, f"CAMEO parents missing from the table: {missing}"
    return table


def _fix(label: str) -> str:
    for wrong, right in _SPELLING.items():
        label = label.replace(wrong, right)
    return label


def _derive_class_name(code: str, root: str, label: str) -> str:
    if len(code) == 2:
        return ROOT_CLASSES[code]
    if len(code) == 3 and code.endswith("0"):
        return ROOT_CLASSES[root] + "General"
    text = re.sub(r",?\s*not spec(ified)? below", "", label, flags=re.IGNORECASE)
    text = re.sub(r"\s+\([^)]*\)", " ", text)  # "(non-mediation)", "(legally)"
    text = text.replace("(", "").replace(")", "")  # "person(s)" -> "persons"
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "".join(w[0].upper() + w[1:] for w in words)
