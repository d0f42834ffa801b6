"""Pagination of a result set: previous and next, the first and last page, and a window around the current one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

WINDOW = 2  # pages shown on each side of the current one


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap ("…")
    href: str | None
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    page: int
    last: int
    previous: str | None
    next: str | None
    links: tuple[PageLink, ...]


def pagination(total: int, page: int, limit: int, max_offset: int, url: Callable[[int], str]) -> Pagination | None:
    """Links to the pages of ``total`` results (``limit`` a page; none start past ``max_offset``), or
    None when everything fits on one page."""
    last = max(1, min(-(-total // limit), max_offset // limit + 1))
    if last == 1 and page == 1:
        return None
    shown = sorted({1, last, *range(max(1, page - WINDOW), min(last, page + WINDOW) + 1)})
    links: list[PageLink] = []
    for number in shown:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None, None))
        links.append(PageLink(number, url(number), number == page))
    return Pagination(
        page=page,
        last=last,
        previous=url(min(page - 1, last)) if page > 1 else None,
        next=url(page + 1) if page < last else None,
        links=tuple(links),
    )
