from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc import idempotency
from fieldsvc.customers import schemas, services

blp = Blueprint("customers_api", __name__, url_prefix="/api/v1", description="Customers and meters")


@blp.route("/customers")
class Customers(MethodView):
    @blp.arguments(schemas.CustomerQuery, location="query")
    @blp.response(200, schemas.CustomerPage)
    def get(self, args):
        """Search customers by account number, name, address, phone or meter serial (`q`)."""
        items, total = services.search_customers(current_user, args.get("q"), args.get("district_id"),
                                                 args["page"], args["per_page"])
        return {"items": items, "total": total}

    @blp.arguments(schemas.CustomerIn)
    @blp.response(201, schemas.CustomerOut)
    @blp.alt_response(200, schema=schemas.CustomerOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Create a customer."""
        return idempotency.respond_created("customer", data, lambda d: services.create_customer(current_user, d),
                                           services.get_customer)


@blp.route("/customers/<int:customer_id>")
class CustomerItem(MethodView):
    @blp.response(200, schemas.CustomerOut)
    def get(self, customer_id):
        return services.get_customer(current_user, customer_id)

    @blp.arguments(schemas.CustomerPatch)
    @blp.response(200, schemas.CustomerOut)
    def patch(self, data, customer_id):
        """Change a customer; a stale `version` → 409."""
        customer = services.get_customer(current_user, customer_id)
        services.update_customer(current_user, customer, data, data.pop("version", None))
        return customer


@blp.route("/meters")
class Meters(MethodView):
    @blp.arguments(schemas.MeterQuery, location="query")
    @blp.response(200, schemas.MeterPage)
    def get(self, args):
        """Meters by serial prefix (`q`) and status."""
        items, total = services.search_meters(current_user, args.get("q"), args.get("status"),
                                              args["page"], args["per_page"])
        return {"items": items, "total": total}

    @blp.arguments(schemas.MeterIn)
    @blp.response(201, schemas.MeterOut)
    @blp.alt_response(200, schema=schemas.MeterOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Register a meter (in stock, or installed when customer_id is given)."""
        return idempotency.respond_created("meter", data, lambda d: services.create_meter(current_user, d), services.get_meter)


@blp.route("/meters/<int:meter_id>")
class MeterItem(MethodView):
    @blp.response(200, schemas.MeterOut)
    def get(self, meter_id):
        return services.get_meter(current_user, meter_id)

    @blp.arguments(schemas.MeterPatch)
    @blp.response(200, schemas.MeterOut)
    def patch(self, data, meter_id):
        """Change a meter; a stale `version` → 409. Setting customer_id installs or removes it."""
        meter = services.get_meter(current_user, meter_id)
        services.update_meter(current_user, meter, data, data.pop("version", None))
        return meter
