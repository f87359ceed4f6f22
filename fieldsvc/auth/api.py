from flask import request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc.auth import schemas, services, throttle
from fieldsvc.errors import NotAuthenticated

blp = Blueprint("auth_api", __name__, url_prefix="/api/v1", description="Authentication and staff")


@blp.route("/auth/token")
class Token(MethodView):
    @blp.arguments(schemas.TokenIn)
    @blp.response(200, schemas.TokenOut)
    @blp.alt_response(429, description="Too many attempts (shared with the login page: per address, per "
                                       "account, per address and account)")
    def post(self, data):
        """Exchange username and password for a bearer token."""
        throttle.check_attempt(data["username"])
        user = services.authenticate(data["username"], data["password"])
        if user is None:
            raise NotAuthenticated(_("Wrong username or password."))
        token, row = services.issue_token(user)
        return {"token": token, "expires_at": row.expires_at}


@blp.route("/auth/token/current")
class CurrentToken(MethodView):
    @blp.response(204)
    def delete(self):
        """Revoke the bearer token this request carries (log a device out of the API)."""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise NotAuthenticated(_("Only a bearer token can be revoked here."))
        services.revoke_token(current_user, header.removeprefix("Bearer ").strip())
        return None


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, schemas.UserOut)
    def get(self):
        """The calling user."""
        return current_user


@blp.route("/users")
class Users(MethodView):
    @blp.arguments(schemas.UserQuery, location="query")
    @blp.response(200, schemas.UserList)
    def get(self, args):
        """Staff, optionally of one role (e.g. to pick an assignee)."""
        users = services.list_users(current_user, args.get("role"), active_only=args["active"])
        return {"items": users, "total": len(users)}
