from marshmallow import Schema, fields

from fieldsvc.permissions import Role
from fieldsvc.schemas import BaseSchema, length, one_of


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
