"""Lazy public names for a package: each name's module is imported on first use.

`import kg` or `import kg.views` stays cheap this way, and a command that only queries a store
never imports spaCy, networkx or pyvis. A package declares its names and their modules:

    __getattr__, __dir__ = lazy_exports(__name__, {"render_html": "viz", ...})
"""
from __future__ import annotations

import importlib
import sys
from typing import Any, Callable


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level `__getattr__` and `__dir__` of `package`, whose public name N lives in
    its submodule `exports[N]` (a path relative to the package, e.g. "viz" or "extract.events")."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *exports})

    return __getattr__, __dir__


def require_pandas() -> Any:
    """The pandas module; KgError (also an ImportError) naming the extra when it is missing."""
    try:
        import pandas
    except ImportError:
        from kg.errors import PandasMissing

        raise PandasMissing("pandas is not installed; install kg's analysis extra: "
                            "pip install -e '.[analysis]' (or pip install pandas)") from None
    return pandas
