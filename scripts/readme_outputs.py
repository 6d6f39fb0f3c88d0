#!/usr/bin/env python3
"""Regenerate (or check) the command outputs printed in the README and docs, so they cannot drift.

    .venv/bin/python scripts/readme_outputs.py [--check] [FILE.md ...]

A fenced block right after the line `<!-- output -->` is a transcript: lines that start with
`$ ` are commands, run with bash from the repository root with `.venv/bin` first on PATH; the
lines after each command are its output. The script writes each command's output back into
the block; with `--check` it changes nothing and exits 1 (naming the command) when an output
differs. A transcript that ends with a line `...` shows only the first lines of the output:
those are compared and kept. The commands run in a scratch directory holding `examples/` (a
link to the repository's) and `outputs/`, the example's graph built afresh there, so the
repository's own `outputs/` is never touched.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "<!-- output -->"
BLOCK = re.compile(r"(?m)^" + re.escape(MARK) + r"\n```[a-z]*\n(.*?)^```\n", re.S)


WORKDIR = Path(tempfile.mkdtemp(prefix="kg-readme-"))


def _run(command: str) -> str:
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "COLUMNS": "200", "NO_COLOR": "1"}
    done = subprocess.run(["bash", "-c", command], cwd=WORKDIR, env=env, capture_output=True, text=True,
                          timeout=300)
    return done.stdout + done.stderr


def transcript(block: str) -> list[tuple[str, list[str]]]:
    """The (command, output lines) pairs of a block."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def regenerate(block: str) -> tuple[str, list[str]]:
    """The block with fresh outputs, and the commands whose output changed."""
    lines: list[str] = []
    changed: list[str] = []
    for command, shown in transcript(block):
        fresh = _run(command).rstrip("\n").splitlines()
        if shown and shown[-1] == "...":  # only the first lines are shown
            fresh = fresh[:len(shown) - 1] + ["..."]
        if fresh != shown:
            changed.append(command)
        lines += [f"$ {command}", *fresh]
    return "\n".join(lines) + "\n", changed


def process(path: Path, check: bool) -> list[str]:
    text = path.read_text(encoding="utf-8")
    changed_all: list[str] = []

    def fresh(match: re.Match) -> str:
        body, changed = regenerate(match.group(1))
        changed_all.extend(changed)
        return match.group(0).replace(match.group(1), body, 1)

    new = BLOCK.sub(fresh, text)
    if not check and new != text:
        path.write_text(new, encoding="utf-8")
    return changed_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when an output differs")
    parser.add_argument("files", nargs="*", type=Path, help="Markdown files (default: README.md and docs/*.md)")
    args = parser.parse_args()
    files = args.files or [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    (WORKDIR / "examples").symlink_to(ROOT / "examples")
    _run("kg build examples/russia-hamas-hostages.txt -o outputs > /dev/null")
    stale = [f"{path.name}: $ {command}" for path in files for command in process(path, args.check)]
    for line in stale:
        print(("differs: " if args.check else "updated: ") + line)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
