from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from fieldsvc.auth.rules import QualificationKind
from fieldsvc.config import Defaults
from fieldsvc.permissions import Role
from fieldsvc.schemas import BaseSchema, length, one_of
from fieldsvc.staffing.rules import Education


class TokenIn(BaseSchema):
    username = fields.String(required=True, validate=length(40))
    password = fields.String(required=True, validate=length(200))


class TokenOut(Schema):
    token = fields.String()
    expires_at = fields.DateTime()


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    name = fields.String()
    role = fields.String()
    phone = fields.String(allow_none=True)
    active = fields.Boolean()


class UserQuery(BaseSchema):
    role = fields.String(validate=one_of([r.value for r in Role]))
    active = fields.Boolean(load_default=True)


class UserList(Schema):
    items = fields.List(fields.Nested(UserOut))
    total = fields.Integer()


# --- the director's staff pages (forms) ---------------------------------------------------------

USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class StaffEdit(BaseSchema):
    """The staff page's edit form. Empty optional fields mean 'clear it' (the view fills in None)."""

    name = fields.String(required=True, validate=length(60, 1))
    role = fields.String(required=True, validate=one_of([r.value for r in Role]))
    phone = fields.String(validate=length(20))
    district_id = fields.Integer()
    locale = fields.String(validate=one_of(Defaults.LANGUAGES))
    education = fields.String(validate=one_of([e.value for e in Education]))  # role requirements (staffing)
    experience_since = fields.Date()  # not in the future: staffing.services.check_profile


class StaffIn(StaffEdit):
    username = fields.String(required=True, validate=[
        length(40, 2),
        validate.Regexp(USERNAME_PATTERN,
                        error=_l("Use letters, digits, dots, dashes and underscores only.")),
    ])
    password = fields.String(required=True, validate=length(200))


class PasswordReset(BaseSchema):
    password = fields.String(required=True, validate=length(200))


class QualificationIn(BaseSchema):
    kind = fields.String(required=True, validate=one_of([k.value for k in QualificationKind]))
    number = fields.String(required=True, validate=length(60, 1))
    issuer = fields.String(required=True, validate=length(100, 1))
    issued_on = fields.Date(load_default=None)
    expires_on = fields.Date(load_default=None)
