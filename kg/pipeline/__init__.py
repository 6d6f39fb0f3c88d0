"""Stage 8, pipeline: the jobs that run the stages end to end.

`run` (`build`: articles -> graph files and view; `build_store` and `build_at`: articles -> a store,
how they read and process articles given as one `BuildOptions`;
`extract_paths` and `process_articles`: articles -> events), `parallel` (parsing on worker
processes or a Dask cluster), `evaluate` (extraction scored against gold events) and
`spacy_component` (extraction as a spaCy pipeline component, `nlp.add_pipe("kg_events")`).
"""
from kg._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "build": "run",
    "build_store": "run",
    "extract_paths": "run",
    "process_articles": "run",
    "BuildOptions": "run",
    "BuildSummary": "run",
    "build_at": "run",
    "evaluate_paths": "evaluate",
})
