"""The coding step: a frame's lexicon code turned into the CAMEO code of the event it reports.

The lexicon gives the code of the deed a predicate names; the codebook's usage notes decide
what is coded when the deed is not asserted: an intended cooperation is an intent (03x), a
future or conditional conflict act a threat (13x), a refused cooperation a rejection (12x).
The tables are data (`ontology/lexicon/intent_codes.tsv`, `refusal_codes.tsv`); every decision
adds the id of its rule (`ontology/lexicon/rules.tsv`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..cameo import CONFLICT_ROOTS, CameoCode, cameo_code
from .lexicon import intent_codes, refusal_codes

__all__ = ["Coding", "code_event", "intent_code"]

# Modalities that announce a deed; for conflict acts, possibility is already a threat.
INTENT_MODALITIES = frozenset({"will", "would", "shall", "intended"})
POSSIBLE_MODALITIES = frozenset({"may", "might", "could"})


@dataclass(frozen=True)
class Coding:
    """The code an event gets after modality and negation, with the rules that decided it."""

    code: CameoCode | None
    negated: bool
    rules: tuple[str, ...] = ()


def intent_code(code: str, modality: str | None) -> str:
    """The CAMEO code of an event given its modality ("will visit" -> 036, "may halt" -> 136)."""
    if modality in INTENT_MODALITIES or (modality in POSSIBLE_MODALITIES and code[:2] in CONFLICT_ROOTS):
        table = intent_codes()
        prefix = next((code[:n] for n in range(len(code), 1, -1) if code[:n] in table), None)
        return table[prefix] if prefix else code
    return code


def code_event(cameo: str | None, negated: bool, modality: str | None) -> Coding:
    """The coding of a frame whose lexicon code is `cameo`."""
    if not cameo:
        return Coding(None, negated)
    refusals = refusal_codes()
    if modality == "failed" and cameo[:2] in refusals:
        # "failed to reach an agreement": failed cooperation is a rejection, and the failure happened
        return Coding(cameo_code(refusals[cameo[:2]]), False, ("code.failure-is-rejection",))
    if negated and modality in INTENT_MODALITIES and cameo[:2] in refusals:
        # "would not provide support": refusing to cooperate is a rejection, and that did happen
        return Coding(cameo_code(refusals[cameo[:2]]), False, ("code.refusal",))
    coded = intent_code(cameo, modality)
    if coded != cameo:
        rule = "code.threat" if cameo[:2] in CONFLICT_ROOTS else "code.intent"
        return Coding(cameo_code(coded), negated, (rule,))
    return Coding(cameo_code(cameo), negated, ("code.negated",) if negated else ())
