"""Words for the IC-card sales domain's code values (GLOSSARY.md), registered with fieldsvc.labels."""
from flask_babel import lazy_gettext as _l

from fieldsvc import labels

GROUPS = {
    "card_sale_status": {"pending": _l("Paid, card not written"), "written": _l("Written, not confirmed"),
                         "confirmed": _l("Confirmed"), "reversed": _l("Reversed")},
    "card_sale_kind": {"purchase": _l("Purchase"), "transfer": _l("Volume carried to a new meter")},
    "card_payment": {"cash": _l("Cash"), "card": _l("Bank card"), "wechat": _l("WeChat Pay"),
                     "alipay": _l("Alipay"), "none": _l("No payment")},
    "card_status": {"active": _l("Active"), "blocked": _l("Blocked")},
    "card_event": {"issue": _l("Card issued"), "reissue": _l("Card reissued"),
                   "meter_change": _l("Meter changed"), "deactivate": _l("Card deactivated (account closed)")},
    "card_reversal_status": {"requested": _l("Awaiting approval"), "approved": _l("Approved"),
                             "rejected": _l("Rejected")},
    "card_reversal_reason": {"write_failed": _l("The card write failed"),
                             "not_confirmed": _l("The card could not be read back"),
                             "customer_cancelled": _l("The customer cancelled"),
                             "wrong_amount": _l("Wrong volume or amount"),
                             "other": _l("Other reason")},
}


def register(app) -> None:
    labels.register(app, GROUPS)
