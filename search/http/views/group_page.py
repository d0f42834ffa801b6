"""The group view: one syndicated story as the outlets carried it, oldest copy first, each against the earliest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.article import Article
from search.facade import NewsSearch
from search.http.views.diff import CopyDiff, word_diff
from search.http.views.links import article_path, web_href

# The headline is short: its diff keeps every word.
TITLE_CONTEXT = 1_000


@dataclass(frozen=True)
class CopyView:
    id: str
    title: str
    href: str
    site: str | None
    date: str | None
    author: str | None
    url: str | None
    url_href: str | None
    first: bool
    asked: bool  # the article the group was opened from
    title_diff: CopyDiff | None  # None for the earliest copy, or when the headline is unchanged
    text_diff: CopyDiff | None  # None for the earliest copy


@dataclass
class GroupPage:
    id: str
    copies: list[CopyView]

    @property
    def first(self) -> CopyView:
        return self.copies[0]


def by_publication(members: Sequence[Article]) -> list[Article]:
    """Copies in the order the outlets ran them, the undated last. The library lists a group in the
    order it stored the copies, which is the order they were read in, not the order they ran."""
    return sorted(members, key=lambda member: (member.published is None, member.published or ""))


def group_page(ns: NewsSearch, article_id: str) -> GroupPage:
    members = by_publication(ns.group_members(article_id))
    asked = ns.get(article_id).id
    earliest = members[0]
    copies = []
    for number, member in enumerate(members):
        first = number == 0
        title_diff = (
            None if first or member.title == earliest.title else word_diff(earliest.title, member.title, context=TITLE_CONTEXT)
        )
        copies.append(
            CopyView(
                id=member.id, title=member.display_title, href=article_path(member.id), site=member.site,
                date=member.published, author=member.author, url=member.url, url_href=web_href(member.url), first=first,
                asked=member.id == asked, title_diff=title_diff,
                text_diff=None if first else word_diff(earliest.text, member.text),
            )
        )  # fmt: skip
    return GroupPage(asked, copies)
