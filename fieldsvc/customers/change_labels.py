"""Words for the codes of customer change requests."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

GROUPS = {
    "customer_change_kind": {"transfer": _l("Transfer of ownership"), "close": _l("Closing the account"),
                             "category_change": _l("Change of use category")},
    "customer_change_status": {"requested": _l("Awaiting approval"), "approved": _l("Approved and applied"),
                               "rejected": lazy_pgettext("change request", "Rejected")},
}
