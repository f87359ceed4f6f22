"""The JSON API under /api/v1: flask-smorest blueprints, bearer-token auth, API.md error shapes.

Deny by default: every API route needs an authenticated user except those listed in PUBLIC_ENDPOINTS.
Session-authenticated writes (the logged-in browser) must carry the CSRF token in X-CSRFToken.
"""
from flask import g, request
from flask_login import current_user
from flask_smorest import Api
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields

from fieldsvc import jsonx, registry
from fieldsvc.errors import NotAuthenticated, handle_http_error
from fieldsvc.extensions import csrf

PUBLIC_ENDPOINTS = {"auth_api.Token", "api-docs.openapi_json"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ApiError(Schema):
    """API.md's error body: {"error": "..."}, or {"errors": {"field": ["message", ...]}} for 422."""

    error = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())


class FieldsvcApi(Api):
    ERROR_SCHEMA = ApiError  # what the OpenAPI document promises for every error response

    def handle_http_exception(self, error):
        # One error format for the whole app (errors.py), not smorest's own.
        return handle_http_error(error)


def _guard():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    if not current_user.is_authenticated:
        raise NotAuthenticated()
    if request.method in WRITE_METHODS and not g.get("auth_via_token"):
        try:
            csrf.protect()
        except CSRFError as exc:
            return handle_http_error(exc)


def register(app, blp) -> None:
    """Domains hand their API blueprints over from init_app; they are mounted by init_app below."""
    registry.of(app).api_blueprints.append(blp)


def init_app(app) -> None:
    """One Api (and OpenAPI document) per app, so tests can build many apps in one process."""
    app.before_request(jsonx.refuse_deep_json)  # every JSON body, pages' too, before anything parses it
    api = FieldsvcApi(app, spec_kwargs={
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    })
    for blp in registry.of(app).api_blueprints:
        if not getattr(blp, "_fieldsvc_guarded", False):
            blp.before_request(_guard)
            blp._fieldsvc_guarded = True
        csrf.exempt(blp)  # checked in _guard, only for session-authenticated writes
        api.register_blueprint(blp)
