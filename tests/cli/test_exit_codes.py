"""The CLI's exit codes come from one table over the error types (``search/cli/exit_codes.py``),
and stay the ones the README lists."""

from __future__ import annotations

import pytest

import index.errors as errors
import search.arguments as arguments
from search.cli.exit_codes import EXIT_CODES, INTERRUPTED, exit_code

README_CODES = {
    errors.NewsSearchError: 1,
    errors.IndexNotFoundError: 2,
    errors.IndexFormatError: 3,
    errors.ModelMismatchError: 3,
    errors.ModelLoadError: 4,
    errors.QuerySyntaxError: 5,
    errors.SourceError: 6,
    errors.ArticleNotFoundError: 7,
    errors.IndexLockedError: 8,
    errors.IndexWriteError: 9,
    arguments.InvalidArgumentError: 2,
    arguments.ArgumentTypeError: 2,
    arguments.NewsSearchClosedError: 1,
}


def _all_errors(base: type[errors.NewsSearchError]) -> list[type[errors.NewsSearchError]]:
    return [base, *(kind for sub in base.__subclasses__() for kind in _all_errors(sub))]


@pytest.mark.parametrize("kind", _all_errors(errors.NewsSearchError), ids=lambda kind: kind.__name__)
def test_every_library_error_gets_its_listed_code(kind: type[errors.NewsSearchError]) -> None:
    assert exit_code(kind("message")) == README_CODES[kind]
    assert "exit_code" not in vars(kind)  # the surface chooses the code, not the error


def test_no_entry_is_hidden_behind_a_more_general_one() -> None:
    for position, (kind, _) in enumerate(EXIT_CODES):
        assert not any(issubclass(kind, earlier) for earlier, _ in EXIT_CODES[:position]), kind


def test_errors_outside_the_library_and_the_interrupt() -> None:
    assert exit_code(ValueError("x")) == 1 and exit_code(OSError("x")) == 1
    assert INTERRUPTED == 130
