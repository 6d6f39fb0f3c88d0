"""Stage 7, serve: a graph or store as a SPARQL 1.1 Protocol endpoint over HTTP.

The entry point is `serve(store, ServeOptions(...))`.
"""
from kg._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "serve": "endpoint",
    "ServeOptions": "endpoint",
})
