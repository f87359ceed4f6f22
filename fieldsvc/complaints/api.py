"""Complaints on the JSON API (API.md): list, create (idempotent), read, transition, follow-up call, and the
first-contact owner's reply and hand-over."""
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from fieldsvc import idempotency
from fieldsvc.complaints import schemas
from fieldsvc.complaints.services import access, first_contact, followup, handling, intake, penalties

blp = Blueprint("complaints_api", __name__, url_prefix="/api/v1", description="Customer requests and complaints")


@blp.route("/complaints")
class Complaints(MethodView):
    @blp.arguments(schemas.ComplaintQuery, location="query")
    @blp.response(200, schemas.ComplaintPage)
    def get(self, args):
        """Complaints newest first; field staff see only those they received or own. `overdue=true`:
        the escalated ones. `q`: tracking number, phone or name."""
        items, total = access.list_complaints(current_user, args.get("status"), args.get("category"),
                                              args["overdue"], q=args.get("q"), page=args["page"],
                                              per_page=args["per_page"])
        return {"items": items, "total": total}

    @blp.arguments(schemas.ComplaintIn)
    @blp.response(201, schemas.ComplaintOut)
    @blp.alt_response(200, schema=schemas.ComplaintOut, description="Repeated client_id: the first record")
    def post(self, data):
        """Take a complaint in; the caller becomes its owner (首问负责制). The due times follow from the category."""
        return idempotency.respond_created("complaint", data, lambda d: intake.receive(current_user, d),
                                           access.get_complaint)


@blp.route("/complaints/<int:complaint_id>")
class ComplaintItem(MethodView):
    @blp.response(200, schemas.ComplaintOut)
    def get(self, complaint_id):
        return access.get_complaint(current_user, complaint_id)


@blp.route("/complaints/<int:complaint_id>/transition")
class Transition(MethodView):
    @blp.arguments(schemas.TransitionIn)
    @blp.response(200, schemas.ComplaintOut)
    def post(self, data, complaint_id):
        """Move the complaint along the state table (complaints/rules.py); an illegal move → 409,
        a stale `version` → 409."""
        return handling.transition(current_user, complaint_id, data.pop("to"), data, data.pop("version", None))


@blp.route("/complaints/<int:complaint_id>/followup")
class Followup(MethodView):
    @blp.arguments(schemas.FollowupIn)
    @blp.response(200, schemas.ComplaintOut)
    def post(self, data, complaint_id):
        """The follow-up call after closure: satisfaction 1–5; 1–2 reopens the complaint."""
        return followup.record_followup(current_user, complaint_id, data["satisfaction"],
                                        data.get("comments"), data.get("version"))


@blp.route("/complaints/<int:complaint_id>/reply")
class Reply(MethodView):
    @blp.arguments(schemas.ReplyIn)
    @blp.response(200, schemas.ComplaintOut)
    def post(self, data, complaint_id):
        """The owner (or the director) records the reply given to the customer; shown on the public
        status page once a solution is approved. A phone number or a name in it → 422 naming `text`."""
        return first_contact.reply(current_user, complaint_id, data["text"], data.get("version"))


@blp.route("/complaints/<int:complaint_id>/handover")
class Handover(MethodView):
    @blp.arguments(schemas.HandoverIn)
    @blp.response(200, schemas.ComplaintOut)
    def post(self, data, complaint_id):
        """The owner (or the director) hands the complaint over to a colleague who handles complaints
        (`to_user_id`), with a `note`; the colleague becomes the owner. Not the owner → 403."""
        return first_contact.handover(current_user, complaint_id, data["to_user_id"], data["note"],
                                      data.get("version"))


@blp.route("/complaints/<int:complaint_id>/penalties")
class Penalties(MethodView):
    @blp.response(200, schemas.PenaltyList)
    def get(self, complaint_id):
        """The penalties on the complaint's responsible person (处罚责任者): the director only."""
        return {"items": penalties.list_for(current_user, complaint_id)}

    @blp.arguments(schemas.PenaltyIn)
    @blp.response(201, schemas.PenaltyOut)
    def post(self, data, complaint_id):
        """Record a penalty (`amount` in yuan and/or `measure`, `decided_on`, `note`) against the complaint's
        responsible person: the director only; no responsible person recorded → 422 naming `person_id`."""
        return penalties.record(current_user, complaint_id, data)
