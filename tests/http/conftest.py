"""Fixtures of the HTTP tests: the browser harness's (tests/http/browser.py), made visible to every module here."""

from __future__ import annotations

from tests.http.browser import browser as browser
from tests.http.browser import sample_tabs as sample_tabs
from tests.http.browser import served_sample as served_sample
