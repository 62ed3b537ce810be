"""schemathesis against the service's own ``/openapi.json``, in process (ASGI).

Every operation is called with requests generated from its schema, valid and invalid ones
(``mode = all``), and every response is checked: never a 5xx, the status code, content type
and headers documented, the body conforming to the documented schema, a schema-valid request
accepted and a schema-violating one refused. Three exclusions, each for a rule no JSON Schema
can state: an application date after the decision date (today, when the date is left out), the
two sides of a diff being the same kind, and a JSON Lines body, which is text, so any text is
the right type (its lines are validated one by one and answered in place).

The example count is fixed (``EXAMPLES`` per operation, derandomised) so the run is the same
everywhere: about 10 s on two cores, under a minute when the machine is busy.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from betanketid_rules._web import create_app

#: Examples per operation and generation mode.
EXAMPLES = 100
JSON_LINES = ("application/x-ndjson", "application/jsonl")


@schemathesis.serializer(*JSON_LINES)
def _json_lines(context: schemathesis.SerializationContext, value: Any) -> bytes:
    """A JSON Lines body as sent: the text itself (a value that is not text, which negative
    generation makes, as its JSON)."""
    return value.encode() if isinstance(value, str) else json.dumps(value).encode()


CONFIG = schemathesis.Config.from_dict(
    {"generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True}}
)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(), config=CONFIG)


def _lodged_after_the_decision(body: object) -> bool:
    if not isinstance(body, dict) or not isinstance(body.get("application_date"), str):
        return False
    decided = body.get("decision_date", dt.date.today().isoformat())
    return isinstance(decided, str) and body["application_date"] > decided


def _granted_after_the_decision(body: object) -> bool:
    """A revocation's permit granted after the decision date (the order of two dates, as for
    an application date: no JSON Schema states it)."""
    if not isinstance(body, dict) or not isinstance(body.get("revocation"), dict):
        return False
    granted = body["revocation"].get("granted_on")
    decided = body.get("decision_date", dt.date.today().isoformat())
    return isinstance(granted, str) and isinstance(decided, str) and granted > decided


def _beyond_json_schema(case: schemathesis.Case) -> list[Any]:
    """The checks a rule that no JSON Schema can state makes wrong for this request."""
    excluded: list[Any] = []
    body = case.body
    if (
        case.path.endswith("/diff")
        or _lodged_after_the_decision(body)
        or _granted_after_the_decision(body)
    ):
        excluded.append(positive_data_acceptance)
    if case.media_type in JSON_LINES:
        excluded.append(negative_data_rejection)
    return excluded


def test_every_operation_is_tested() -> None:
    operations = {
        f"{result.ok().method.upper()} {result.ok().path}" for result in schema.get_all_operations()
    }
    assert operations >= {
        "POST /api/v1/decisions",
        "POST /api/v1/decisions/batch",
        "POST /api/v1/assessments",
        "GET /api/v1/tables",
        "GET /api/v1/tables/{family}/{version}",
        "GET /api/v1/sources",
        "GET /api/v1/open-questions",
        "GET /api/v1/diff",
        "GET /api/v1/health",
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=_beyond_json_schema(case))
