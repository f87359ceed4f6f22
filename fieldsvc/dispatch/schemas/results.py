"""One schema per order type for what the technician records on completion (stored as JSON)."""
import json

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validates_schema

from fieldsvc.dispatch import rules
from fieldsvc.schemas import BaseSchema, length, one_of, rng
from fieldsvc.web import load_form

MUST_BE_DONE = _l("This must be done before the job can be completed.")


class Emergency(BaseSchema):
    """RULES.md §5: an emergency is not done until the technician says whether there was a leak and
    what state the gas was left in; a shut-off names why."""

    leak_found = fields.Boolean(required=True)
    leak_location = fields.String(validate=length(200))
    gas_state = fields.String(required=True, validate=one_of([g.value for g in rules.GasState]))
    shut_off_reason = fields.String(validate=length(200))

    @validates_schema(skip_on_field_errors=False)
    def _explained(self, data, **kwargs):
        errors = {}
        if data.get("leak_found") and not data.get("leak_location"):
            errors["leak_location"] = [str(_l("Say where the leak was."))]
        if data.get("gas_state") == rules.GasState.shut_off and not data.get("shut_off_reason"):
            errors["shut_off_reason"] = [str(_l("Say why the gas was shut off."))]
        if errors:
            raise ValidationError(errors)


def _must_be_done(data: dict, names: tuple[str, ...]) -> None:
    """Ticked boxes that the job's result depends on: each one unticked is named."""
    errors = {name: [str(MUST_BE_DONE)] for name in names if not data.get(name)}
    if errors:
        raise ValidationError(errors)


class Repair(BaseSchema):
    fault_found = fields.String(validate=length(200))


class PurgeIgnition(BaseSchema):
    test_pressure_kpa = fields.Decimal(required=True, places=1, validate=rng(0, 100))
    test_duration_min = fields.Integer(required=True, validate=rng(0, 600))
    pressure_drop_kpa = fields.Decimal(required=True, places=2, validate=rng(0, 100))
    test_result = fields.String(required=True, validate=one_of(["pass", "fail"]))
    instrument_id = fields.Integer(validate=rng(1, 2**31 - 1))  # the manometer (fieldsvc.instruments)
    purge_confirmed = fields.Boolean(load_default=False)  # by the gas detector
    burners_lit = fields.Boolean(load_default=False)  # every burner lit
    flame_failure_checked = fields.Boolean(load_default=False)
    opening_reading = fields.Decimal(required=True, places=3, validate=rng(0))
    seal_no = fields.String(required=True, validate=length(30, 1))
    safety_briefing = fields.Boolean(load_default=False)

    MANDATORY = ("purge_confirmed", "burners_lit", "flame_failure_checked", "safety_briefing")

    @validates_schema(skip_on_field_errors=False)  # the technician sees every problem at once
    def _safe_to_ignite(self, data, **kwargs):
        errors = {}
        figures = [data.get(k) for k in ("test_pressure_kpa", "test_duration_min", "pressure_drop_kpa")]
        passed = None not in figures and rules.tightness_ok(*figures)
        if data.get("test_result") == "pass" and None not in figures and not passed:
            errors["test_result"] = [str(_l("These figures do not pass: at least %(kpa)s kPa held %(min)s minutes "
                                            "with no drop.", kpa=rules.TIGHTNESS_MIN_KPA,
                                            min=rules.TIGHTNESS_MIN_MINUTES))]
        elif data.get("test_result") == "fail":
            errors["test_result"] = [str(_l("Gas must not be let in after a failed tightness test. Fix the leak "
                                            "and test again, or ask the station chief to cancel the order."))]
        errors |= {name: [str(MUST_BE_DONE)] for name in self.MANDATORY if not data.get(name)}
        if errors:
            raise ValidationError(errors)


class PressureCheck(BaseSchema):
    static_pa = fields.Integer(validate=rng(0, 20000))
    working_pa = fields.Integer(validate=rng(0, 20000))
    instrument_id = fields.Integer(validate=rng(1, 2**31 - 1))  # the manometer (fieldsvc.instruments)


class PipeAcceptance(BaseSchema):
    material_ok = fields.Boolean(load_default=False)
    supports_ok = fields.Boolean(load_default=False)
    tightness_ok = fields.Boolean(load_default=False)
    valves_ok = fields.Boolean(load_default=False)
    clearances_ok = fields.Boolean(load_default=False)
    ventilation_ok = fields.Boolean(load_default=False)
    result = fields.String(required=True, validate=one_of(["pass", "fail"]))

    @validates_schema
    def _consistent(self, data, **kwargs):
        if data.get("result") == "pass" and not all(data[c] for c in PIPE_CHECKS):
            raise ValidationError({"result": [str(_l("An installation with a failed check cannot pass."))]})


PIPE_CHECKS = ("material_ok", "supports_ok", "tightness_ok", "valves_ok", "clearances_ok", "ventilation_ok")


class Rectification(BaseSchema):
    hazard_fixed = fields.Boolean(load_default=False)

    @validates_schema
    def _done(self, data, **kwargs):
        _must_be_done(data, ("hazard_fixed",))


class MeterBox(BaseSchema):
    condition = fields.String(required=True, validate=one_of(["good", "fair", "poor"]))
    corrosion = fields.String(required=True, validate=one_of(["none", "light", "heavy"]))
    lock = fields.String(required=True, validate=one_of(["ok", "broken", "missing"]))


class MeterReplacement(BaseSchema):
    """The old meter's last reading and the new meter (a meter in stock) with its reading as fitted."""

    old_reading = fields.Decimal(required=True, places=3, validate=rng(0, 10**9))
    new_serial = fields.String(required=True, validate=length(40, 1))
    new_reading = fields.Decimal(required=True, places=3, validate=rng(0, 10**9))
    old_serial = fields.String(validate=length(40))  # needed only where the customer has several meters


class MeterVerification(BaseSchema):
    meter_serial = fields.String(validate=length(40))
    handed_to_office = fields.Boolean(load_default=False)


class Suspension(BaseSchema):
    supply_shut = fields.Boolean(load_default=False)
    seal_no = fields.String(required=True, validate=length(40, 1))
    final_reading = fields.Decimal(required=True, places=3, validate=rng(0, 10**9))

    @validates_schema
    def _done(self, data, **kwargs):
        _must_be_done(data, ("supply_shut",))


class Restoration(BaseSchema):
    supply_restored = fields.Boolean(load_default=False)
    appliances_checked = fields.Boolean(load_default=False)  # every appliance relit and checked

    @validates_schema
    def _done(self, data, **kwargs):
        _must_be_done(data, ("supply_restored", "appliances_checked"))


class Followup(BaseSchema):
    satisfaction = fields.Integer(required=True, validate=rng(1, 5))
    comments = fields.String(validate=length(1000))


RESULT_SCHEMAS: dict[rules.OrderType, type[BaseSchema]] = {
    rules.OrderType.emergency: Emergency,
    rules.OrderType.repair: Repair,
    rules.OrderType.purge_ignition: PurgeIgnition,
    rules.OrderType.pressure_check: PressureCheck,
    rules.OrderType.pipe_acceptance: PipeAcceptance,
    rules.OrderType.rectification: Rectification,
    rules.OrderType.meter_box: MeterBox,
    rules.OrderType.meter_replacement: MeterReplacement,
    rules.OrderType.meter_verification: MeterVerification,
    rules.OrderType.followup_visit: Followup,
    rules.OrderType.suspension: Suspension,
    rules.OrderType.restoration: Restoration,
}


def field_names(order_type: str) -> list[str]:
    return list(RESULT_SCHEMAS[rules.OrderType(order_type)]().fields)


def load_results(order_type: str, data: dict) -> dict:
    """Validate the type's results; JSON-ready (decimals as strings, exact). Errors → Invalid by field."""
    loaded = load_form(RESULT_SCHEMAS[rules.OrderType(order_type)](), data or {})
    return json.loads(json.dumps(loaded, default=str))
