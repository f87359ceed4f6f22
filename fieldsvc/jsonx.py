"""JSON for the API: Decimal volumes and amounts go out as JSON numbers (API.md), not strings."""
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider


class NumberJSONProvider(DefaultJSONProvider):
    @staticmethod
    def default(o):
        if isinstance(o, Decimal):
            # float() of a value with ≤ 6 decimals prints back the same digits: nothing is lost.
            return int(o) if o == o.to_integral_value() else float(o)
        return DefaultJSONProvider.default(o)
