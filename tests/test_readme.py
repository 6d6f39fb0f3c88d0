"""The command transcripts printed in the README (blocks marked `<!-- output -->`) are what the
commands print today: `scripts/readme_outputs.py --check` runs each one against a fresh build of
the example and fails naming the command whose output drifted."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_readme_transcripts_are_current():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme_outputs.py"), "--check"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_readme_is_short_and_says_where_to_go_next():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    for doc in ("docs/CLI.md", "docs/PYTHON.md", "docs/QUERIES.md", "docs/CORPORA.md", "benchmarks/README.md"):
        assert doc in text and (ROOT / doc).is_file()
    assert text.count("<!-- output -->") >= 5
