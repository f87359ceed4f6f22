"""JSON for the API: Decimal volumes and amounts go out as JSON numbers (API.md), not strings; JSON coming
in is refused with a 400 when it is nested deeper than any real payload (MAX_DEPTH), before any parser
(Flask's or webargs') recurses into it: ~1000 nested `[` made Python's parser raise RecursionError (a 500)."""
import re
from decimal import Decimal

from flask import request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

from fieldsvc.errors import DomainError

MAX_DEPTH = 64  # the deepest real payload (a sync batch of forms with nested results) is under 10
# A JSON string, escapes included; an unterminated one runs to the end. Possessive: linear on any input.
_STRING = re.compile(rb'"(?:[^"\\]|\\[\s\S]?)*+"?')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


class NumberJSONProvider(DefaultJSONProvider):
    @staticmethod
    def default(o):
        if isinstance(o, Decimal):
            # float() of a value with ≤ 6 decimals prints back the same digits: nothing is lost.
            return int(o) if o == o.to_integral_value() else float(o)
        return DefaultJSONProvider.default(o)

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:  # Flask turns a ValueError into its 400
            raise ValueError("JSON nested too deeply") from None


def nested_deeper_than(body: bytes | str, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays/objects in a JSON text nest deeper than `limit` (brackets inside strings don't count).
    Reads the text once, without building anything: safe on a hostile body."""
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    skeleton = _NOT_BRACKET.sub(b"", _STRING.sub(b"", body))
    depth = 0
    for byte in skeleton:
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def refuse_deep_json():
    """before_request: a JSON body nested deeper than MAX_DEPTH is a 400, whoever the caller is."""
    if request.is_json and nested_deeper_than(request.get_data(cache=True)):
        raise DomainError(_("The JSON is nested too deeply (at most %(n)d levels).", n=MAX_DEPTH))  # 400
