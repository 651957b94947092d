"""Property-based run of the API against its own OpenAPI document (schemathesis).

Every generated request, valid or not, must end in a documented, non-5xx answer whose
body matches the schema. The app runs in-process (ASGI) on SQLite and a local object
store in a temporary directory, with a valid admin token.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hardening_kit import Svc, start_service  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

pytestmark = pytest.mark.slow

# The schema is loaded at collection time (schemathesis parametrizes by operation), so
# the service lives in a directory made here and removed by the module fixture below.
_TMP = Path(tempfile.mkdtemp(prefix="motcua-schema-"))
atexit.register(shutil.rmtree, _TMP, True)  # also when the tests are deselected
SERVICE = start_service(_TMP)
schema = schemathesis.openapi.from_asgi("/openapi.json", SERVICE.app)
# Unknown query parameters are tolerated by design (a portal may add cache-busters).
schema.config.generation.update(allow_extra_parameters=False)


@pytest.fixture(scope="module", autouse=True)
def _service() -> Iterator[Svc]:
    yield SERVICE
    SERVICE.client.__exit__(None, None, None)
    SERVICE.runtime.close()
    shutil.rmtree(_TMP, ignore_errors=True)


# Inputs whose validity depends on the token, not the request: schemathesis cannot know
# them, so "valid input accepted" / "invalid input refused" are not checked there (no 5xx
# and response conformance still are).
LOOSE_INPUT_CHECKS = [
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.negative_data_rejection,
]


def _loose(method: str, path: str) -> bool:
    # ``office`` is required of an admin or portal token (clerks use their own): a rule on
    # the token, not the body, answered 422 "office is required".
    return (method.upper(), path) == ("POST", "/api/v1/dossiers")


def _negative_headers(case) -> bool:  # noqa: ANN001 - schemathesis Case
    components = getattr(case.meta, "components", None) or {}
    return any(
        str(getattr(loc, "value", loc)) == "header" and info.mode.name == "NEGATIVE"
        for loc, info in components.items()
    )


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case) -> None:  # noqa: ANN001 - schemathesis Case
    """Every check of schemathesis: no 5xx, documented status codes, bodies and headers
    that match the schema, valid input accepted and invalid input refused."""
    excluded = LOOSE_INPUT_CHECKS if _loose(case.operation.method, case.operation.path) else None
    if excluded is None and _negative_headers(case):
        # the headers generated invalid (an Authorization of the wrong form) are replaced
        # by the valid token below: the request sent is not the invalid one schemathesis
        # made, so "invalid input refused" cannot be judged on it
        excluded = [schemathesis.checks.negative_data_rejection]
    headers = dict(SERVICE.headers)
    for name, value in (case.headers or {}).items():
        if name.lower() == "idempotency-key" and len(str(value)) <= 200:
            # A key reused with another body is refused (422, as the IETF draft says);
            # schemathesis would count that as valid input refused, so each case gets
            # its own key. Over-long keys are left for the negative checks.
            headers[name] = f"k-{uuid.uuid4()}"
    case.call_and_validate(headers=headers, excluded_checks=excluded)
