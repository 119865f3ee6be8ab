"""Browser tests: Debian's Chromium driven by Playwright (``executable_path``: no browser
download), against ``reintegrate serve`` in a subprocess. Screenshots go to
$REINTEGRATE_SCREENSHOTS, or a temporary folder the run prints."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from e2e.workspace_server import PASSWORD, Workspace, start

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    served = start(tmp_path_factory.mktemp("workspace"))
    yield served
    served.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh installs it)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    folder = Path(os.environ.get("REINTEGRATE_SCREENSHOTS")
                  or tempfile.mkdtemp(prefix="reintegrate-screens-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


def signed_in(browser, workspace: Workspace, username: str, language: str = "en"):
    """A new browser context (its own cookies) signed in as ``username``."""
    context = browser.new_context(base_url=workspace.url, accept_downloads=True,
                                  locale=language, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/sign-in/")
    if language != "en":
        page.select_option("#interface-language", language)
        page.click("form.language button")
        page.wait_for_load_state()
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{workspace.url}")
    return page


def axe_violations(page) -> list[dict]:
    """Serious and critical violations axe-core finds on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations"
                          ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                          " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))")
    return [v for v in found if v["impact"] in ("serious", "critical")]
