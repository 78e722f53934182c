"""Write docs/graph.png, the README's picture of the explorer: the graph of examples/ with one entity's panel open.

Usage: python scripts/screenshot.py [--entity "James Cameron"] [-o docs/graph.png]
Needs the test extras (playwright) and Debian's chromium, as the browser tests do.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.api import KnowledgeGraph  # noqa: E402
from tests.browser import Watch, chromium, point  # noqa: E402

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entity", default="James Cameron")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "graph.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with KnowledgeGraph("memory") as graph:
            graph.build([ROOT / "examples"])
            page_path = graph.render_html(Path(tmp) / "graph.html", title="kg: the examples/ graph")
        watch = Watch()
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 720}, device_scale_factor=1)
            watch.attach(page)
            page.goto(page_path.as_uri())
            page.wait_for_selector("body[data-stabilized=true]", timeout=30_000)
            page.mouse.click(*point(page, args.entity))
            page.wait_for_selector("#panel[data-node]")
            page.screenshot(path=str(args.output))
    if watch.errors or watch.requests:
        sys.exit(f"the page logged errors {watch.errors} or made requests {watch.requests}")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
