"""Fuzzing the API from its own OpenAPI document (schemathesis): no input makes it fail with a 5xx,
and every response matches its documented schema. Examples are bounded to keep the suite fast."""
import tempfile

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from fieldsvc import create_app
from fieldsvc.core import demo
from tests.conftest import make_test_config

MAX_EXAMPLES = 10


def _spec() -> dict:
    """The document as the app serves it (building it needs no database)."""
    folder = tempfile.mkdtemp()
    app = create_app(make_test_config(f"sqlite:///{folder}/spec.db", folder))
    return app.test_client().get("/api/v1/openapi.json").json


schema = schemathesis.openapi.from_dict(_spec())


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_holds_up_to_generated_input(case, app, staff):
    token = app.test_client().post("/api/v1/auth/token", json={
        "username": "director", "password": demo.DEMO_PASSWORD}).json["token"]
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {token}"},
                           checks=[not_a_server_error, response_schema_conformance])
