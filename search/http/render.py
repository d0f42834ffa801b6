"""Rendering of the HTML pages: one Jinja2 environment with autoescaping on for every template, and
the error page.

Autoescaping is the rule, not an option: every value from the archive (titles, text, names, URLs)
is escaped where it is written. Markup is built only by ``search.http.views.snippets`` (``<mark>``
around pieces it escaped itself); templates never use ``|safe``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from search.http.views.form import DEFAULT_LIMIT
from search.ranking.pipeline import MODES, SORTS

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 500: "Server error", 503: "Index unavailable"}


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,  # a misspelt name is an error in the tests, not an empty string on a page
    )
    env.filters["plural"] = plural
    env.filters["order_words"] = order_words
    env.globals.update(MODES=MODES, SORTS=SORTS, DEFAULT_LIMIT=DEFAULT_LIMIT)
    return env


def plural(count: int, word: str, words: str | None = None) -> str:
    """``"1 result"``, ``"3 results"`` (``words``: the plural, when not ``word`` + s), thousands separated."""
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def order_words(page: Any) -> str:
    """How a search page's results are ordered, after its count: ", best first" and so on."""
    words = ": browsing, newest first" if page.browsing else ", newest first" if page.sort == "date" else ", best first"
    return words + (", every copy shown" if page.form.all_copies else "")


def page(template: str, status_code: int = 200, headers: Mapping[str, str] | None = None, **context: Any) -> HTMLResponse:
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=headers)


def error_page(status: int, message: str, *, form: Any = None, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """The page for an error: the status, what went wrong in the library's words, a way back (and
    the search form, when the error was in a search)."""
    heading = TITLES.get(status, "Error")
    return page("error.html", status, headers, status=status, heading=heading, message=message, form=form)
