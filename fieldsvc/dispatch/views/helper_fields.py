"""The helpers picker on the new-order form and the assign forms: a posted form's `helper_ids` boxes as the list
the schema takes, and which boxes to show ticked again (what was typed, or the order's helpers)."""
from flask import request


def form_data(form=None) -> dict:
    """The posted form as a dict with helper_ids as a list; a value that is not a number stays a string, for
    the schema to refuse by name. No box at all: the key is left out (an assign keeps the helpers as they are)
    unless the form says it carries the picker (helpers_shown), when no box ticked means none."""
    form = request.form if form is None else form
    data = form.to_dict()
    data.pop("helper_ids", None)
    data.pop("helpers_shown", None)
    values = [v.strip() for v in form.getlist("helper_ids") if v.strip()]
    if values or form.get("helpers_shown"):
        data["helper_ids"] = [int(v) if v.isascii() and v.isdigit() and len(v) < 10 else v for v in values]
    return data


def ticked(values, default=()) -> set[str]:
    """The helper ids to show ticked: those posted (a MultiDict after a refused form), else `default`."""
    if hasattr(values, "getlist") and (values.getlist("helper_ids") or values.get("helpers_shown")):
        return set(values.getlist("helper_ids"))
    if isinstance(values, dict) and isinstance(values.get("helper_ids"), list):
        return {str(v) for v in values["helper_ids"]}
    return {str(v) for v in default}
