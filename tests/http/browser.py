"""The browser harness: the real ``news-search serve`` (``serving.py``), and headless Chromium driven by
Playwright, watched for everything a page must not do (console errors, uncaught exceptions, dialogs,
failed requests).

Chromium is Debian's (``/usr/bin/chromium``), never a browser Playwright downloads: where it is
missing the browser tests skip, except under CI (``CI`` set), where they fail, since CI must run them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.http.serving import served

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Error, Page, Response

CHROMIUM = Path("/usr/bin/chromium")
# Headless and quiet: no GPU, no sandbox (CI runs as root), nothing fetched from the network but the server.
CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def require_chromium() -> Path:
    """Debian's Chromium, or a skip that says how to get it (a failure under CI, which must run these)."""
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = f"no Chromium at {CHROMIUM}: install Debian's (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@dataclass
class Watch:
    """What a page did that it must not: console errors, uncaught exceptions, dialogs, failed loads.

    ``expected_statuses`` names the document statuses a test asks for on purpose (an error page is a
    400 by design; Chromium reports the failed load of such a document as a console error).
    """

    problems: list[str] = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.on("dialog", self._dialog)
        page.on("requestfailed", lambda request: self.problems.append(f"request failed: {request.url} ({request.failure})"))
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = message.text
        if any(f"status of {status}" in text for status in self.expected_statuses):
            return
        self.problems.append(f"console error: {text} (at {message.location.get('url')})")

    def _page_error(self, error: Error) -> None:
        self.problems.append(f"uncaught exception: {error.message}")

    def _dialog(self, dialog: Dialog) -> None:
        # A dialog is the classic sign of a payload that ran; dismiss it so the page goes on.
        self.problems.append(f"dialog ({dialog.type}) opened: {dialog.message!r} on {dialog.page.url if dialog.page else '?'}")
        dialog.dismiss()

    def _response(self, response: Response) -> None:
        status = response.status
        if status >= 400 and not (response.request.resource_type == "document" and status in self.expected_statuses):
            self.problems.append(f"{response.request.resource_type} {response.url} answered {status}")

    def check(self, where: str = "") -> None:
        """Fail with everything seen so far (and forget it, so one failure is reported once)."""
        problems, self.problems = self.problems, []
        assert not problems, f"the page misbehaved{' ' + where if where else ''}:\n" + "\n".join(problems)


@dataclass
class Tab:
    """A page in its own fresh browser context, with its watch."""

    page: Page
    watch: Watch
    base: str

    def goto(self, path: str, *, status: int = 200) -> Response:
        """Load ``base + path`` and check its status and that nothing misbehaved while loading."""
        if status != 200:
            self.watch.expected_statuses.add(status)
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None, path
        assert response.status == status, (path, response.status, response.text()[:2000])
        self.watch.check(f"loading {path}")
        return response


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for a whole test session (each test gets its own context from it)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's own browser cache is never used: a download cannot work here and is not wanted.
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


TabFactory = Callable[..., Tab]


@contextmanager
def tabs(browser: Browser, base: str) -> Iterator[TabFactory]:
    """A factory of ``Tab``s on ``base`` (keyword arguments go to ``new_context``); at the end of
    the block each is checked once more and closed."""
    opened: list[tuple[Tab, Any]] = []

    def open_tab(**context_options: Any) -> Tab:
        context_options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**context_options)
        context.set_default_timeout(15_000)
        page = context.new_page()
        watch = Watch()
        watch.attach(page)
        tab = Tab(page, watch, base)
        opened.append((tab, context))
        return tab

    try:
        yield open_tab
        for tab, _ in opened:
            tab.watch.check("by the end of the test")
    finally:
        for _, context in opened:
            context.close()


def screenshot_to(page: Page, tmp_path: Path, name: str) -> Path:
    """A viewport screenshot in ``tmp_path``, also copied to ``$NEWS_SEARCH_SCREENSHOT`` when that is set."""
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    target = os.environ.get("NEWS_SEARCH_SCREENSHOT")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)
    return shot


# --- pytest fixtures (re-exported by tests/http/conftest.py) ----------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def served_sample(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server over the sample index, for the whole session; its base URL."""
    log = tmp_path_factory.mktemp("serve-sample") / "serve.log"
    with served(sample_index, log) as server:
        yield server.base


@pytest.fixture
def sample_tabs(browser: Browser, served_sample: str) -> Iterator[TabFactory]:
    with tabs(browser, served_sample) as factory:
        yield factory
