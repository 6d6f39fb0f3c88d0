"""Shared fixtures: the repository paths, the spaCy model and the example graph, each made once."""
from __future__ import annotations

from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "russia-hamas-hostages.txt"
EXAMPLE_ID = EXAMPLE.stem


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def example_path() -> Path:
    """The bundled example article."""
    return EXAMPLE


@pytest.fixture(scope="session")
def nlp():
    """The default spaCy pipeline, loaded once per session (a module may override this)."""
    return kg.load_model()


@pytest.fixture(scope="session")
def example_results(nlp) -> list[kg.ArticleResult]:
    """The example article's extraction results (one ArticleResult)."""
    return list(kg.extract_paths([EXAMPLE]))


@pytest.fixture(scope="session")
def example_build(tmp_path_factory, nlp) -> kg.BuildSummary:
    """`kg.build` of the example article into a session temp dir (Turtle + HTML view)."""
    outdir = tmp_path_factory.mktemp("example-build")
    return kg.build([EXAMPLE], outdir)


@pytest.fixture(scope="session")
def example_graph_path(example_build) -> Path:
    """The Turtle file of the example graph. Do not modify it: it is shared by the session."""
    return example_build.graph_path


@pytest.fixture(scope="session")
def example_graph(example_graph_path):
    """The example graph loaded back from its Turtle file (shared: do not modify)."""
    return kg.load_graph(example_graph_path)
