"""The extraction step's modules import only earlier steps: the syntax modules never import actor
resolution (knowledge base, gazetteer, registry) or event assembly, and actor resolution never
imports event assembly. Read from the source with `ast`, so a new import is caught at once."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXTRACT = Path(__file__).resolve().parents[1] / "kg" / "extract"
# the syntax step: frames from the parse (clauses), the parse repairs and caches it reads, dates, word lists
SYNTAX = ["clauses", "parse_repairs", "doc_cache", "time", "words"]
ACTOR_STEP = {"actors", "gazetteer", "registry"}
ASSEMBLY = {"events"}


def _local_imports(module: str) -> set[str]:
    tree = ast.parse((EXTRACT / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg.extract."):
            found.add(node.module.split(".")[2])
    return found


@pytest.mark.parametrize("module", SYNTAX)
def test_the_syntax_step_imports_no_actor_resolution_and_no_assembly(module):
    assert not _local_imports(module) & (ACTOR_STEP | ASSEMBLY)


@pytest.mark.parametrize("module", sorted(ACTOR_STEP))
def test_actor_resolution_imports_no_assembly(module):
    assert not _local_imports(module) & ASSEMBLY


def test_the_check_sees_imports():
    assert {"doc_cache", "lexicon", "parse_repairs"} <= _local_imports("clauses")
    assert "registry" in _local_imports("events") or "actors" in _local_imports("events")


def test_every_user_facing_error_is_in_the_catalogue():
    """No module but kg/errors.py defines a KgError subclass (the catalogue of user-facing errors)."""
    import kg.errors

    catalogue = {name for name, value in vars(kg.errors).items() if isinstance(value, type)
                 and issubclass(value, kg.errors.KgError)}
    elsewhere = []
    for path in sorted((EXTRACT.parent).rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(b, ast.Name) and (b.id in catalogue or b.id == "KgError") for b in node.bases):
                elsewhere.append(f"{path.name}:{node.name}")
    assert elsewhere == []
    assert {"StoreError", "NothingToBuild", "QueryTimeout", "ResultTooLarge", "PandasMissing"} <= catalogue
