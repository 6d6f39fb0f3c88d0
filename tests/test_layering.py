"""The extraction step's modules import only earlier steps: the syntax modules never import actor
resolution (actors, registry, or the shared gazetteer and knowledge base, kg/gazetteer.py) or event
assembly, and actor resolution never imports event assembly. Read from the source with `ast`, so a
new import is caught at once."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXTRACT = Path(__file__).resolve().parents[1] / "kg" / "extract"
# the syntax step: frames from the parse (clauses), the parse repairs and caches it reads, dates, word lists
SYNTAX = ["clauses", "parse_repairs", "doc_cache", "time", "words"]
ACTOR_STEP = {"actors", "registry"}
KNOWLEDGE = {"gazetteer"}  # shared (kg/gazetteer.py), but not read by the syntax step
ASSEMBLY = {"events"}


def _local_imports(module: str) -> set[str]:
    tree = ast.parse((EXTRACT / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg.extract."):
            found.add(node.module.split(".")[2])
        elif isinstance(node, ast.ImportFrom) and (node.module in {f"kg.{m}" for m in KNOWLEDGE}
                                                   or (node.level == 2 and node.module in KNOWLEDGE)):
            found.add(node.module.rpartition(".")[2])
    return found


@pytest.mark.parametrize("module", SYNTAX)
def test_the_syntax_step_imports_no_actor_resolution_and_no_assembly(module):
    assert not _local_imports(module) & (ACTOR_STEP | KNOWLEDGE | ASSEMBLY)


@pytest.mark.parametrize("module", sorted(ACTOR_STEP))
def test_actor_resolution_imports_no_assembly(module):
    assert not _local_imports(module) & ASSEMBLY


def test_the_check_sees_imports():
    assert {"doc_cache", "lexicon", "parse_repairs"} <= _local_imports("clauses")
    assert "registry" in _local_imports("events") or "actors" in _local_imports("events")
    assert "gazetteer" in _local_imports("actors")


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


# ---------------------------------------------------------------- stages of the package

KG = EXTRACT.parent
# the stages in the order data flows through them; a stage imports only itself, earlier stages
# and the shared modules at the bottom of kg/ (serve and views are side by side: neither
# imports the other)
STAGES = {"ingest": 1, "nlp": 2, "extract": 3, "graph": 4, "store": 5, "query": 6, "serve": 7, "views": 7,
          "pipeline": 8, "cli": 9}
SHARED = {"model", "errors", "cameo", "files", "vocab", "_lazy", "gazetteer"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(KG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _kg_imports(path: Path) -> set[str]:
    """Every kg module a file imports, at the top or inside a function (relative imports
    resolved; `from kg import x` names kg.x)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "kg")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "kg":
                continue
            found.add(module)
            if module == "kg":
                found.update(f"kg.{alias.name}" for alias in node.names)
    return found


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_every_module_of_kg_is_a_stage_or_shared():
    top = {p.stem for p in KG.glob("*.py")} - {"__init__", "__main__"}
    packages = {p.parent.name for p in KG.glob("*/__init__.py")}
    assert top == SHARED
    assert packages == set(STAGES)


@pytest.mark.parametrize("stage", sorted(STAGES, key=STAGES.get))
def test_no_stage_imports_a_later_stage(stage):
    later = []
    for path in sorted((KG / stage).rglob("*.py")):
        for module in sorted(_kg_imports(path)):
            imported = _stage(module)
            if imported is None:
                assert module == "kg" or module.split(".")[1] in SHARED | {"ontology"}, (path, module)
            elif imported != stage and STAGES[imported] >= STAGES[stage]:
                later.append(f"{path.relative_to(KG)} imports {module}")
    assert later == []


def test_the_shared_modules_import_no_stage():
    for name in sorted(SHARED):
        assert not {m for m in _kg_imports(KG / f"{name}.py") if _stage(m)}, name


def test_the_stages_after_extraction_read_the_shared_gazetteer_not_extraction():
    """The gazetteer and knowledge base are a shared resource (kg/gazetteer.py): the graph, the
    stores, queries, the endpoint and the views need no module of kg/extract/ to read them."""
    for stage in ("graph", "store", "query", "serve", "views"):
        for path in sorted((KG / stage).rglob("*.py")):
            assert not {m for m in _kg_imports(path) if _stage(m) == "extract"}, path.relative_to(KG)
    assert "kg.gazetteer" in _kg_imports(KG / "graph" / "build.py")


def test_the_stage_check_sees_imports():
    assert "kg.graph.build" in _kg_imports(KG / "store" / "base.py")
    assert "kg.nlp" in _kg_imports(KG / "extract" / "events.py")  # a relative import, `from ..nlp import`
    assert "kg.views.viz" in _kg_imports(KG / "pipeline" / "run.py")  # inside a function


def test_the_cli_modules_hold_no_graph_store_or_staging_logic():
    """A command is a click wrapper over the library: no RDF, store engine or file staging."""
    for path in sorted((KG / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module and not node.level}
        assert not imported & {"rdflib", "pyoxigraph", "tempfile", "shutil"}, path.name
        assert not {m for m in _kg_imports(path) if _stage(m) == "graph"}, path.name
