"""A real headless Chromium for the tests, the render benchmark and the README screenshot.

Debian's ``chromium`` package, driven by Playwright from PyPI (Playwright's own browser download is not used).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


def chromium_binary() -> str | None:
    """The installed chromium, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Watch:
    """What a page did that it must not: console errors, uncaught exceptions and requests that leave the file."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)


@contextmanager
def chromium() -> Iterator[object]:
    """A launched headless Chromium (a Playwright Browser); raises RuntimeError when it is not installed."""
    from playwright.sync_api import sync_playwright

    binary = chromium_binary()
    if binary is None:
        raise RuntimeError("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


_POINT = """([label, other]) => {
    const k = window.kgExplorer, id = (name) => k.nodes.get({filter: (n) => n.label === name})[0].id;
    let at = k.network.getPosition(id(label));
    if (other) {  // the middle of the drawn (possibly curved) line
        const edge = k.edges.get({filter: (e) => e.from === id(label) && e.to === id(other)})[0];
        at = k.network.body.edges[edge.id].edgeType.getPoint(0.5);
    }
    const dom = k.network.canvasToDOM(at), box = document.querySelector("#graph canvas").getBoundingClientRect();
    return [box.left + dom.x, box.top + dom.y];
}"""


def point(page, label: str, *, edge_to: str | None = None) -> tuple[float, float]:
    """Where on the explorer page the entity labelled ``label`` is drawn (or the middle of its relation to
    ``edge_to``), for ``page.mouse.click``."""
    x, y = page.evaluate(_POINT, [label, edge_to])
    return x, y


def require_chromium() -> None:
    """Skip a browser test where chromium or playwright is missing; in CI (CI=true) that is a failure instead,
    since CI installs both (scripts/setup.sh)."""
    import pytest  # the benchmark and the screenshot script use this module without it

    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "playwright is not installed (pip install -e '.[test]')"
    if missing is None and chromium_binary() is None:
        missing = "Debian's chromium is not installed (apt-get install chromium)"
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser tests: {missing}")
    if missing:
        pytest.skip(missing)
