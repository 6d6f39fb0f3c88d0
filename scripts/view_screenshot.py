"""Open a kg HTML view in headless Chromium (Debian's /usr/bin/chromium via Playwright) and save a PNG.

    .venv/bin/python scripts/view_screenshot.py outputs/russia-hamas-hostages.html outputs/russia-hamas-hostages.png

The page is opened from file:// with every other request aborted; the script waits until the
layout has settled (physics stopped), then takes the screenshot. `chromium()` is shared with
benchmarks/viz_large.py.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium(width: int = 1400, height: int = 900) -> Iterator[object]:
    """A Playwright browser context on Debian's chromium with a fresh profile; only file:// loads."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found: run bash scripts/setup-venv.sh (installs Debian's chromium)")
    with tempfile.TemporaryDirectory(prefix="kg-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": width, "height": height})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                      else route.abort())
        try:
            yield context
        finally:
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    with chromium(args.width, args.height) as context:
        page = context.new_page()
        page.goto(args.page.resolve().as_uri())
        page.wait_for_function("window.kgView && window.kgView.stabilized", timeout=120_000)
        page.screenshot(path=str(args.png))
    print(args.png)


if __name__ == "__main__":
    main()
