"""Words for the readings domain's code values (GLOSSARY.md), registered with fieldsvc.labels."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from fieldsvc import labels

GROUPS = {
    "anomaly": {
        "rollover": _l("Register rolled over"),
        "negative": _l("Lower than the previous reading"),
        "zero": _l("No consumption twice in a row"),
        "spike": _l("Unusually high"),
        "drop": _l("Unusually low"),
        "implausible": _l("More than the meter can pass"),
        "estimate_limit": _l("Third estimate in a row"),
        "too_many_digits": _l("Not a register value"),
        "not_after_previous": _l("Not after the previous reading"),
    },
    "reading_kind": {"actual": _l("Actual reading"), "estimated": _l("Estimated reading"),
                     "self": _l("Customer self-read"), "final": _l("Final reading (meter change)"),
                     "start": _l("Start reading (meter change)")},
    # One English word, other Chinese words elsewhere (a job "Accepted", an order "Overdue"): pgettext.
    "reading_status": {"accepted": lazy_pgettext("reading", "Accepted"), "pending": _l("Awaiting review"),
                       "approved": _l("Approved"), "sent_back": _l("Sent back")},
    "stop_status": {"read": _l("Read"), "estimated": _l("Estimated"), "skipped": _l("Skipped"),
                    "left": _l("To read"), "sent_back": _l("Read again")},
    "skip_code": {"nobody_home": _l("Nobody home"), "not_reachable": _l("Meter not reachable"),
                  "meter_damaged": _l("Meter damaged"), "bypass": _l("Suspected bypass or tampering")},
    "arrears_stage": {"clear": _l("Nothing owed"), "due": _l("Bill open"),
                      "overdue": lazy_pgettext("bill", "Overdue"),
                      "notice_due": _l("Notice to serve"), "notice_served": _l("Notice served"),
                      "suspension_due": _l("Suspension may be approved"),
                      "suspension_approved": _l("Suspension approved"), "suspended": _l("Supply suspended"),
                      "restoring": _l("Restore supply within 24 h")},
    "payment_method": {"cash": _l("Cash"), "wechat": _l("WeChat Pay"), "alipay": _l("Alipay"),
                       "card": _l("Bank card"), "bank": _l("Bank transfer")},
    "visit_outcome": {"paid": _l("Paid"), "promise": _l("Promise to pay"), "notice": _l("Notice served")},
    "bill_status": {"open": lazy_pgettext("bill", "Open"), "paid": _l("Paid")},
    "tariff_category": {"residential": _l("Residential"), "commercial": _l("Commercial"),
                        "industrial": _l("Industrial")},
}


def register(app) -> None:
    labels.register(app, GROUPS)
