"""The inspection form as posted by the phone, turned into what InspectionIn validates."""
from fieldsvc.inspections import rules

TEXT_FIELDS = ("outcome", "static_pa", "working_pa", "instrument_id", "door_gap_check", "refused_by", "refusal_reason",
               "signature", "no_signature_reason", "note")
NEW_APPLIANCE = ("kind", "brand", "model", "sold_on", "flue_type")


def inspection_data(form, customer_id: int, items, appliances) -> dict:
    """Checklist radios item_<code> (ok | hazard), grade_<code>, note_<code>; appliance_<id> ticked
    when seen; new_<field> for an appliance found at the visit. Fields of other outcomes are dropped,
    so a technician who switched outcome is not refused for what they typed first."""
    data = {k: form[k] for k in TEXT_FIELDS if form.get(k)}
    data["customer_id"] = customer_id
    outcome = data.get("outcome")
    data["card_left"] = form.get("card_left") == "1"
    data["supply_shut_off"] = form.get("supply_shut_off") == "1"
    if outcome != rules.Outcome.completed:
        for key in ("static_pa", "working_pa", "instrument_id", "signature", "no_signature_reason"):
            data.pop(key, None)
        data["supply_shut_off"] = False
        return data
    answers = []
    for item in items:
        hazard = form.get(f"item_{item.code}") == "hazard"
        row = {"code": item.code, "ok": not hazard}
        if form.get(f"note_{item.code}"):
            row["note"] = form[f"note_{item.code}"]
        grade = form.get(f"grade_{item.code}")
        if hazard and grade and grade != item.grade:
            row["grade"] = grade
        answers.append(row)
    data["items"] = answers
    data["appliances"] = [a.id for a in appliances if form.get(f"appliance_{a.id}") == "1"]
    if form.get("new_kind"):
        new = {k: form[f"new_{k}"] for k in NEW_APPLIANCE if form.get(f"new_{k}")}
        new["flame_failure"] = form.get("new_flame_failure") == "1"
        data["new_appliances"] = [new]
    return data


def item_photos(files, items) -> dict[str, bytes]:
    photos = {}
    for item in items:
        f = files.get(f"photo_{item.code}")
        if f and f.filename:
            photos[item.code] = f.read()
    return photos


def on_form(errors: dict, items) -> dict:
    """Errors in the dotted shape of InspectionIn (fieldsvc.web.flatten) put on this form's field names:
    items.<i>.note → note_<code> (the i-th answer is the i-th checklist item, see inspection_data),
    new_appliances.0.sold_on → new_sold_on; the others already are the form's names."""
    codes = [item.code for item in items]
    named = {}
    for name, messages in errors.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit() and int(parts[1]) < len(codes):
            name = f"{parts[2]}_{codes[int(parts[1])]}"
        elif len(parts) == 3 and parts[0] == "new_appliances":
            name = f"new_{parts[2]}"
        named[name] = named.get(name, []) + list(messages)
    return named
