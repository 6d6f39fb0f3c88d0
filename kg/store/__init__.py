"""Stage 5, store: where a graph lives between sessions, one named graph per article.

One small interface, `Store` (kg/store/base.py: add an article, has an article, query,
update, export as a Dataset), and one module per backend:
- `memory.MemoryStore`: an rdflib Dataset in memory (an RDF file opens as one);
- `embedded.OxigraphStore`: an embedded persistent store in a directory (pyoxigraph on RocksDB);
- `remote.RemoteStore`: any SPARQL 1.1 store over HTTP (SPARQL Protocol for queries; Graph
  Store Protocol or SPARQL Update for writes).

Writing an article replaces its named graph in one transaction (the embedded store commits new
articles in batches, each batch whole or not at all), so a store never holds half an article
and re-adding an article never duplicates it. The embedded store (and a remote store written
through SPARQL Update) also keeps its default graph equal to the set union of the article
graphs, so queries see each statement once, as on an rdflib Dataset.

The entry point is `open_store(location)`, which picks the backend from the location;
`load_dataset(location)` reads one whole into an rdflib Dataset.
"""
from __future__ import annotations

import os
from pathlib import Path

from rdflib import Dataset

from kg.errors import GraphLoadError
from kg.graph.build import load_graph
from kg.store.base import Store
from kg.store.embedded import OxigraphStore
from kg.store.memory import MemoryStore
from kg.store.remote import RemoteStore

REMOTE_SCHEMES = ("http://", "https://")

__all__ = ["REMOTE_SCHEMES", "MemoryStore", "OxigraphStore", "RemoteStore", "Store", "load_dataset", "open_store"]


def open_store(location: str | os.PathLike[str], create: bool = False, read_only: bool = False) -> Store:
    """The store at `location`: an http(s) URL, an RDF file (read into memory), or an embedded
    store directory (`create` makes it when missing; `read_only` lets it be open elsewhere)."""
    text = str(location)
    if text.startswith(REMOTE_SCHEMES):
        return RemoteStore(text)
    path = Path(text)
    if path.is_file():
        return MemoryStore(load_graph(path), location=text)
    if path.is_dir() or create:
        return OxigraphStore(path, create=create, read_only=read_only)
    raise GraphLoadError(f"graph file or store not found: {path}")


def load_dataset(location: str | os.PathLike[str]) -> Dataset:
    """The graph at `location` (RDF file, store directory or store URL) as an rdflib Dataset."""
    with open_store(location, read_only=True) as store:
        return store.to_dataset()
