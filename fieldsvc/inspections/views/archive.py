"""用户安全档案: one customer's safety story on one page."""
from flask import render_template
from flask_login import current_user

from fieldsvc import clock
from fieldsvc.inspections.services import archive, common, followups, hazards, plan
from fieldsvc.inspections.views import bp
from fieldsvc.permissions import P, permission_required


@bp.get("/customers/<int:customer_id>")
@permission_required(P.inspections_view)
def archive_page(customer_id):
    customer = common.customer(customer_id)
    today = clock.today()
    open_hazards = archive.open_hazards(customer)
    hazards.refresh(open_hazards)  # statuses read from the orders: kept by the request's commit
    return render_template("inspections/archive.html", customer=customer, today=today,
                           entries=archive.entries(current_user, customer, today), flags=archive.flags(customer),
                           open_hazards=open_hazards, status=plan.customer_status(customer),
                           visits=followups.next_try(followups.visits_this_cycle(customer)),
                           life_ends={a.id: archive.appliance_life(customer, a) for a in customer.appliances})
