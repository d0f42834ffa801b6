"""Schemathesis against the API's own OpenAPI schema, on the real ``news-search serve`` over the sample
index: requests generated from the schema (valid ones and deliberately invalid ones) never get a 500,
every answer has a status the API documents, and every error has the ``{"error": {...}}`` shape.

Bounded (30 examples per operation, no deadline) so that it runs in about a minute on two cores.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.http.serving import get_json

# What every endpoint may answer: 200; 400 for a bad parameter or query (FastAPI's own refusals are
# turned into 400s by search.http.errors); 404 for an unknown id. 503 only while the index cannot be
# opened, which the sample index always can, so it is not allowed here.
ALLOWED_STATUSES = {200, 400, 404}
OPERATIONS = {
    "/healthz",
    "/api/search",
    "/api/articles/{article_id}",
    "/api/articles/{article_id}/similar",
    "/api/groups/{article_id}",
    "/api/stats",
    "/api/timeline",
    "/api/export",
}
# Those that take query parameters, which can be given invalid values (a path id is any string).
WITH_PARAMETERS = {"/api/search", "/api/articles/{article_id}/similar", "/api/timeline", "/api/export"}
# The same examples every run (derandomized), so a failure reproduces; a deeper run with fresh
# draws: NEWS_SEARCH_FUZZ_EXAMPLES=500 pytest tests/http/test_api_schema.py
DEEPER = os.environ.get("NEWS_SEARCH_FUZZ_EXAMPLES")
EXAMPLES_PER_OPERATION = int(DEEPER or 30)
WITH_ID = {path for path in OPERATIONS if "{article_id}" in path}


@dataclass(frozen=True)
class Run:
    """One generated run: an operation, valid or invalid values, and for an id path a real id or not."""

    path: str
    mode: GenerationMode = GenerationMode.POSITIVE
    real_id: bool = False

    @property
    def name(self) -> str:
        return f"{self.path}-{self.mode.value}" + ("-real-id" if self.real_id else "")

    @property
    def must_answer(self) -> bool:
        """Some of its requests must get a 200: valid values, and an article that exists where one is needed."""
        return self.mode is GenerationMode.POSITIVE and (self.real_id or self.path not in WITH_ID)


CASES = (
    [Run(path) for path in sorted(OPERATIONS)]
    + [Run(path, real_id=True) for path in sorted(WITH_ID)]
    + [Run(path, GenerationMode.NEGATIVE, real_id=path in WITH_ID) for path in sorted(WITH_PARAMETERS)]
)


@pytest.fixture(scope="module")
def api_schema(served_sample: str) -> schemathesis.BaseSchema:
    """The schema as the server publishes it."""
    return schemathesis.openapi.from_url(f"{served_sample}/openapi.json")


@pytest.fixture(scope="module")
def article_id(served_sample: str) -> str:
    """A stored article's id: random ids all get a 404, which never reaches the code behind it."""
    status, body = get_json(f"{served_sample}/api/search?q=Lavrov+Pyongyang&limit=1")
    assert status == 200, body
    found: str = body["hits"][0]["id"]
    return found


def test_the_schema_lists_every_endpoint(served_sample: str) -> None:
    """The generated tests below take their operations from this list: the schema must have them all."""
    status, document = get_json(f"{served_sample}/openapi.json")
    assert status == 200
    listed = {path for path in document["paths"] if path == "/healthz" or path.startswith("/api/")}
    assert listed == OPERATIONS, f"missing: {sorted(OPERATIONS - listed)}, not tested: {sorted(listed - OPERATIONS)}"
    with_query = {
        path
        for path in listed
        if any(parameter.get("in") == "query" for parameter in document["paths"][path]["get"].get("parameters", []))
    }
    assert with_query == WITH_PARAMETERS


# schemathesis' own ``from_fixture(...).parametrize()`` reaches into pytest internals that pytest 9
# no longer has; its strategies under a plain ``@given`` do the same generation.
@pytest.mark.slow
@pytest.mark.parametrize("run", CASES, ids=[run.name for run in CASES])
def test_generated_requests_never_fail_the_server(api_schema: schemathesis.BaseSchema, article_id: str, run: Run) -> None:
    operation = api_schema[run.path]["GET"]
    fixed = {"article_id": article_id} if run.real_id else None
    statuses: list[int] = []

    @given(case=operation.as_strategy(generation_mode=run.mode, path_parameters=fixed))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=DEEPER is None,
        database=None,  # no .hypothesis folder: the examples are derandomized, or deliberately fresh
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers_properly(case: schemathesis.Case[Any]) -> None:
        # Invalid requests are sent for the 500s and the error shape, not judged by schemathesis'
        # negative_data_rejection: a "non-array" site=x is a valid one-value list on the wire, and
        # it reports those as accepted invalid data.
        response = case.call(timeout=30)
        statuses.append(response.status_code)
        request = f"{case.method} {response.request.url}"
        case.validate_response(response, checks=[not_a_server_error, content_type_conformance, response_schema_conformance])
        assert response.status_code in ALLOWED_STATUSES, f"{request} answered {response.status_code}: {response.text[:500]}"
        if response.status_code != 200:
            assert_error_shape(response.json(), request)

    answers_properly()
    if run.must_answer:
        assert 200 in statuses, f"no generated request got an answer, only errors: {sorted(statuses)}"


def assert_error_shape(body: Any, request: str) -> None:
    assert isinstance(body, dict) and set(body) == {"error"}, f"{request}: {body}"
    error = body["error"]
    assert isinstance(error, dict) and set(error) == {"type", "message"}, f"{request}: {body}"
    assert isinstance(error["type"], str) and error["type"], f"{request}: {body}"
    assert isinstance(error["message"], str) and error["message"], f"{request}: {body}"
    assert "Traceback" not in error["message"], f"{request}: {body}"
