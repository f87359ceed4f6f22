"""Roles, named permissions and the role → permission grants. Deny by default.

Services call `require(actor, P.X)`; views may add `@permission_required(P.X)` so a page is refused
before any work, and the menu uses `can()` so nobody is shown what they may not open.
"""
from enum import StrEnum
from functools import wraps

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from fieldsvc.errors import NotAllowed, NotAuthenticated


class Role(StrEnum):
    director = "director"
    safety_officer = "safety_officer"
    station_chief = "station_chief"
    repair_tech = "repair_tech"
    pipe_fitter = "pipe_fitter"
    meter_reader = "meter_reader"
    card_clerk = "card_clerk"
    statistician = "statistician"
    metering_head = "metering_head"
    metering_tech = "metering_tech"


ROLE_LABELS = {
    Role.director: _l("Director"),
    Role.safety_officer: _l("Safety Officer"),
    Role.station_chief: _l("Station Chief"),
    Role.repair_tech: _l("Indoor Repair Technician"),
    Role.pipe_fitter: _l("Pipe Fitter"),
    Role.meter_reader: _l("Meter Reader"),
    Role.card_clerk: _l("IC-Card Sales Clerk"),
    Role.statistician: _l("Statistics Clerk"),
    Role.metering_head: _l("Metering Office Head"),
    Role.metering_tech: _l("Metering Technician"),
}

FIELD_ROLES = (Role.repair_tech, Role.pipe_fitter, Role.meter_reader, Role.metering_tech)


class P(StrEnum):
    """Named permissions. A new capability gets a new name here and an explicit line in WHO_MAY."""

    # foundation
    staff_view = "staff.view"          # list staff (e.g. to pick an assignee or a checker)
    staff_manage = "staff.manage"      # create, edit, deactivate, reset passwords, qualifications
    customers_view = "customers.view"
    customers_edit = "customers.edit"  # create and change customers and appliances
    customers_import = "customers.import"
    meters_edit = "meters.edit"        # register meters, install and remove them
    customer_changes_view = "customer_changes.view"        # change requests (a chief: own district's)
    customer_changes_request = "customer_changes.request"  # request a transfer, closing or category change
    customer_changes_approve = "customer_changes.approve"  # approve/reject (a chief: own district's)
    audit_view = "audit.view"
    # dispatch (work orders)
    orders_view = "orders.view"            # open order pages: dispatchers any, technicians their own (404 else)
    orders_view_all = "orders.view_all"    # the board: every order, every technician's load
    orders_create = "orders.create"        # take a call: create an order (form or API)
    orders_assign = "orders.assign"        # assign, reassign, cancel and close orders
    orders_work = "orders.work"            # work one's own orders (accept, en route, on site, complete)
    orders_help = "orders.help"            # help on another's order: see it in one's jobs, on its job sheet
    custody_manage = "custody.manage"      # issue tools and parts to technicians, take returns
    followup_record = "followup.record"    # record the follow-up call (satisfaction, comments)
    # readings (routes, readings, bills, arrears)
    routes_open = "routes.open"              # open route sheets and meter readings (readers: their own routes)
    routes_view = "routes.view"              # every route, its progress, every reader's readings and bills
    routes_manage = "routes.manage"          # create routes, add/remove stops, assign readers
    routes_work = "routes.work"              # read one's own routes: stops in order, reorder, arrears at the door
    readings_record = "readings.record"      # record readings and skips (readers: own routes only)
    readings_review = "readings.review"      # approve or send back flagged readings, resolve skips
    meter_change = "readings.meter_change"   # final reading of the old meter, start reading of the new
    tampering_view = "readings.tampering"    # the list of suspected bypass / tampering
    tariffs_view = "tariffs.view"
    tariffs_manage = "tariffs.manage"        # a new price list (tariff version)
    bills_view = "bills.view"                # bills and arrears of customers on one's own routes
    bills_view_all = "bills.view_all"        # every customer's bills and arrears
    arrears_collect = "arrears.collect"      # record payment, promise or notice at the door
    suspension_approve = "suspension.approve"  # approve a suspension; record shut-off and restoration
    billing_export = "billing.export"        # CSV export for the billing system, history import
    # inspections (household safety, hazards, pressure)
    inspections_plan = "inspections.plan"          # the plan: due/overdue, batches, refusals, long-term list
    inspections_record = "inspections.record"      # record a visit (completed, refused, nobody home)
    inspections_view = "inspections.view"          # any customer's safety archive, inspections, hazards
    # The whole household checklist; a recorder without it (the pipe fitter) walks the indoor-pipe sections only.
    inspections_household = "inspections.household"
    archive_data = "inspections.archive_data"      # add appliances and facility data to a customer's safety archive
    hazards_view_all = "hazards.view_all"          # every hazard; the escalated (overdue) list
    hazards_rectify = "hazards.rectify"            # before/after photos of one's own rectification order
    hazards_recheck = "hazards.recheck"            # the re-check that closes a rectified hazard
    pressure_sampling = "pressure.sampling"        # end-of-line points, the daily draw, review and report
    pressure_sampling_report = "pressure.sampling_report"  # the weekly sampling report for the dispatch centre
    # metering (bench tests, documents, equipment)
    equipment_view = "equipment.view"
    equipment_manage = "equipment.manage"            # register bench standards, renew calibrations
    equipment_approve = "equipment.approve"          # approve new equipment and renewed calibrations
    meter_tests_view = "meter_tests.view"
    meter_tests_record = "meter_tests.record"        # bench tests, batch sessions
    meter_tests_check = "meter_tests.check"          # the checker (核验员): another metering technician
    documents_issue = "documents.issue"              # approve and issue certificates and notices
    documents_view = "documents.view"
    meter_checks = "meter_checks.record"             # weekly in-home sample and visits
    meter_checks_view = "meter_checks.view"          # the ledger (台账)
    lab_cases = "lab_cases.manage"                   # complaint verifications: removal, hand-over
    lab_cases_view = "lab_cases.view"
    # hse (registers, training, nonconformities)
    hse_view = "hse.view"                   # read the registers, targets, training, nonconformities
    hse_manage = "hse.manage"               # write registers, review observations, run CAPA and self-inspections
    hse_unit = "hse.unit"                   # a unit head: hazards, aspects, training, self-inspections, NCs of own unit
    hse_report = "hse.report"               # report a hazard/aspect observation; raise a field nonconformity
    nonconformity_approve = "hse.nc_approve"  # approve the closure of a nonconformity
    training_manage = "hse.training"        # training sessions, requirements, publicity campaigns
    legal_view = "hse.legal_view"           # the register of legal and other requirements, its evaluations
    legal_manage = "hse.legal_manage"       # keep the legal register, record compliance evaluations
    audits_view = "hse.audits_view"         # the internal audit programme, findings, management reviews
    audits_manage = "hse.audits_manage"     # plan and conduct internal audits, prepare the management review
    review_approve = "hse.review_approve"   # approve the annual management review
    # complaints (customer requests and complaints, 首问负责制)
    complaints_intake = "complaints.intake"      # take a request or complaint (hotline, counter, field)
    complaints_handle = "complaints.handle"      # judge, route, investigate, resolve, confirm, follow up
    complaints_approve = "complaints.approve"    # approve the chosen solution; raise improvement actions
    complaints_view_all = "complaints.view_all"  # every complaint, the overdue list, the monthly analysis
    complaint_penalties = "complaints.penalties"  # penalties on the responsible person (处罚责任者): record, see
    # cardsales (IC-card gas sales desk)
    card_sell = "cardsales.sell"                        # the desk: sell, write cards, reverse own unwritten sales, close own day
    card_manage = "cardsales.cards"                     # issue cards, reissue a lost card, carry volume to a new meter
    card_sales_view = "cardsales.view"                  # the desk read-only: cards, sales, receipts, days
    card_reversal_approve = "cardsales.reversal_approve"  # approve or reject the reversal of a confirmed sale
    # management (policies and procedures, incidents, annual plans and summaries, vehicles)
    policies_view = "policies.view"          # the register of policies; acknowledge the versions in force
    policies_manage = "policies.manage"      # own policies: draft, revise, attach the PDF, bring into force, check
    policies_approve = "policies.approve"    # approve (or return) a version; withdraw one in force
    incidents_view = "incidents.view"        # incident records and their reports
    incidents_manage = "incidents.manage"    # record incidents, notifications, steps, the analysis, actions
    plans_view = "plans.view"                # annual plans, their progress and year-end summaries
    plans_manage = "plans.manage"            # write one's annual plan and its year-end summary
    plans_approve = "plans.approve"          # approve (or return) plans and summaries
    vehicles_view = "vehicles.view"          # the vehicles, their drivers, checks and maintenance
    vehicles_manage = "vehicles.manage"      # register vehicles, assign drivers, record maintenance
    vehicle_log = "vehicles.log"             # the driver's daily check and mileage of their own vehicle
    emergency_plans_view = "emergency.plans_view"      # emergency plans (预案) and their call lists, drills
    emergency_plans_manage = "emergency.plans_manage"  # write plans, their call lists and review dates
    drills_manage = "emergency.drills"                 # record drills and their evaluation (a chief: own district)
    # contractors (相关方: licences, supervisors, their people's training, permits on customer premises)
    contractors_view = "contractors.view"              # the contractor register and permits (a chief: own district's)
    contractors_manage = "contractors.manage"          # register contractors, licences, supervisors
    permits_manage = "contractors.permits"             # issue, change, close permits (a chief: own district)
    # reports
    reports_view = "reports.view"            # dashboards, KPIs and the monthly report (a chief: own district)
    # instruments (gas detectors, manometers, leak detectors: holders, calibration, checks)
    instruments_view = "instruments.view"          # the register: holders their own instruments, managers all
    instruments_manage = "instruments.manage"      # register instruments, assign holders, record any check
    instruments_check = "instruments.check"        # a holder's bump test on their own instrument
    # calendar (working days: statutory holidays and make-up working days)
    calendar_manage = "calendar.manage"      # maintain the working-day calendar (the office)


ALL_ROLES = frozenset(Role)
FIELD = frozenset(FIELD_ROLES)
METERING = frozenset({Role.metering_head, Role.metering_tech})

# Who may do what, one line per permission: read it as the charter (RULES.md §1).
WHO_MAY: dict[P, frozenset[Role]] = {
    # foundation
    P.staff_view: ALL_ROLES,
    P.staff_manage: frozenset({Role.director}),
    P.customers_view: ALL_ROLES,
    P.customers_edit: frozenset({Role.director, Role.station_chief, Role.card_clerk}),
    P.customers_import: frozenset({Role.director, Role.station_chief}),
    P.meters_edit: frozenset({Role.director, Role.station_chief, Role.card_clerk}) | METERING,
    P.customer_changes_view: frozenset({Role.director, Role.station_chief, Role.card_clerk}),
    P.customer_changes_request: frozenset({Role.station_chief, Role.card_clerk}),
    P.customer_changes_approve: frozenset({Role.director, Role.station_chief}),
    P.audit_view: frozenset({Role.director}),
    # dispatch
    # Meter readers read only the orders they help on (services/orders.may_see: own or helping).
    P.orders_view: frozenset({Role.director, Role.station_chief, Role.repair_tech, Role.pipe_fitter,
                              Role.metering_tech, Role.meter_reader}),
    P.orders_view_all: frozenset({Role.director, Role.station_chief}),
    P.orders_create: frozenset({Role.director, Role.station_chief}),
    P.orders_assign: frozenset({Role.director, Role.station_chief}),
    # The roles the role↔type table of dispatch/rules.py can assign to (meter readers only assist).
    P.orders_work: frozenset({Role.repair_tech, Role.pipe_fitter, Role.metering_tech}),
    # Helpers: field roles only (people who go into a customer's home), meter readers at a purge-and-ignite.
    P.orders_help: FIELD,
    P.custody_manage: frozenset({Role.director, Role.station_chief}),
    P.followup_record: frozenset({Role.director, Role.station_chief}),
    # readings
    P.routes_open: frozenset({Role.director, Role.station_chief, Role.statistician, Role.meter_reader}),
    P.routes_view: frozenset({Role.director, Role.station_chief, Role.statistician}),
    P.routes_manage: frozenset({Role.director, Role.station_chief}),
    P.routes_work: frozenset({Role.meter_reader}),
    P.readings_record: frozenset({Role.meter_reader, Role.station_chief}),
    P.readings_review: frozenset({Role.station_chief}),
    P.meter_change: frozenset({Role.station_chief}),
    P.tampering_view: frozenset({Role.safety_officer, Role.station_chief, Role.director}),
    P.tariffs_view: ALL_ROLES,
    P.tariffs_manage: frozenset({Role.director}),
    P.bills_view: frozenset({Role.director, Role.station_chief, Role.statistician, Role.card_clerk,
                             Role.meter_reader}),
    P.bills_view_all: frozenset({Role.director, Role.station_chief, Role.statistician, Role.card_clerk}),
    P.arrears_collect: frozenset({Role.meter_reader, Role.station_chief}),
    P.suspension_approve: frozenset({Role.station_chief}),
    P.billing_export: frozenset({Role.director, Role.station_chief, Role.statistician}),
    # inspections
    P.inspections_plan: frozenset({Role.safety_officer, Role.director}),
    P.inspections_record: frozenset({Role.repair_tech, Role.meter_reader, Role.safety_officer, Role.pipe_fitter}),
    P.inspections_view: frozenset({Role.director, Role.safety_officer, Role.station_chief, Role.repair_tech,
                                   Role.meter_reader, Role.pipe_fitter}),
    P.inspections_household: frozenset({Role.repair_tech, Role.meter_reader, Role.safety_officer}),
    P.archive_data: frozenset({Role.safety_officer, Role.repair_tech, Role.pipe_fitter}),
    P.hazards_view_all: frozenset({Role.safety_officer, Role.director, Role.station_chief}),
    P.hazards_rectify: frozenset({Role.pipe_fitter}),
    P.hazards_recheck: frozenset({Role.safety_officer, Role.repair_tech}),
    P.pressure_sampling: frozenset({Role.station_chief}),
    P.pressure_sampling_report: frozenset({Role.station_chief, Role.director}),
    # metering
    P.equipment_view: METERING | {Role.director},
    P.equipment_manage: METERING,
    P.equipment_approve: frozenset({Role.metering_head}),  # RULES §1: the metering head approves equipment
    # The lab is one shared bench: every metering person sees every test (the checker must).
    P.meter_tests_view: METERING | {Role.director},
    P.meter_tests_record: METERING,
    P.meter_tests_check: frozenset({Role.metering_tech}),
    P.documents_issue: frozenset({Role.metering_head}),
    P.documents_view: METERING | {Role.director, Role.station_chief},
    P.meter_checks: METERING,
    P.meter_checks_view: METERING | {Role.director, Role.safety_officer},
    P.lab_cases: METERING,
    P.lab_cases_view: METERING | {Role.director, Role.station_chief},
    # hse
    P.hse_view: ALL_ROLES,
    P.hse_manage: frozenset({Role.safety_officer, Role.director}),
    P.hse_unit: frozenset({Role.station_chief, Role.metering_head}),
    P.hse_report: ALL_ROLES,
    P.nonconformity_approve: frozenset({Role.director}),
    P.training_manage: frozenset({Role.safety_officer}),
    P.legal_view: frozenset({Role.safety_officer, Role.director, Role.station_chief, Role.metering_head}),
    P.legal_manage: frozenset({Role.safety_officer}),
    P.audits_view: frozenset({Role.safety_officer, Role.director, Role.station_chief, Role.metering_head}),
    P.audits_manage: frozenset({Role.safety_officer}),
    P.review_approve: frozenset({Role.director}),
    # complaints
    P.complaints_intake: ALL_ROLES,
    P.complaints_handle: frozenset({Role.director, Role.station_chief}),
    P.complaints_approve: frozenset({Role.director}),
    P.complaints_view_all: frozenset({Role.director, Role.station_chief, Role.statistician}),
    P.complaint_penalties: frozenset({Role.director}),
    # cardsales
    P.card_sell: frozenset({Role.card_clerk}),
    P.card_manage: frozenset({Role.card_clerk}),
    P.card_sales_view: frozenset({Role.card_clerk, Role.director, Role.station_chief, Role.statistician}),
    P.card_reversal_approve: frozenset({Role.station_chief, Role.director}),
    # management
    P.policies_view: ALL_ROLES,
    P.policies_manage: frozenset({Role.director, Role.safety_officer, Role.metering_head, Role.station_chief}),
    P.policies_approve: frozenset({Role.director}),
    P.incidents_view: frozenset({Role.director, Role.station_chief, Role.safety_officer}),
    P.incidents_manage: frozenset({Role.director, Role.station_chief, Role.safety_officer}),
    P.plans_view: frozenset({Role.director, Role.safety_officer, Role.metering_head, Role.station_chief,
                             Role.metering_tech}),
    P.plans_manage: frozenset({Role.safety_officer, Role.metering_head, Role.director}),
    P.plans_approve: frozenset({Role.director}),
    P.vehicles_view: frozenset({Role.director, Role.station_chief, Role.repair_tech, Role.pipe_fitter}),
    P.vehicles_manage: frozenset({Role.station_chief, Role.director}),
    P.vehicle_log: frozenset({Role.repair_tech, Role.pipe_fitter}),
    # Everyone with field duties reads the plans: the call list is what they need in an emergency.
    P.emergency_plans_view: FIELD | {Role.director, Role.safety_officer, Role.station_chief},
    P.emergency_plans_manage: frozenset({Role.safety_officer, Role.director}),
    P.drills_manage: frozenset({Role.station_chief, Role.safety_officer, Role.director}),
    # contractors
    P.contractors_view: frozenset({Role.director, Role.safety_officer, Role.station_chief}),
    P.contractors_manage: frozenset({Role.safety_officer, Role.director}),
    P.permits_manage: frozenset({Role.station_chief, Role.safety_officer, Role.director}),
    # reports
    P.reports_view: frozenset({Role.director, Role.statistician, Role.station_chief}),
    # instruments: the safety office and the chiefs keep the register; field crews hold and bump-test
    P.instruments_view: frozenset({Role.director, Role.safety_officer, Role.station_chief, Role.repair_tech,
                                   Role.pipe_fitter, Role.meter_reader}),
    P.instruments_manage: frozenset({Role.director, Role.safety_officer, Role.station_chief}),
    P.instruments_check: frozenset({Role.repair_tech, Role.pipe_fitter, Role.meter_reader}),
    # calendar
    P.calendar_manage: frozenset({Role.director, Role.statistician}),
}

GRANTS: dict[Role, frozenset[P]] = {
    role: frozenset(p for p, roles in WHO_MAY.items() if role in roles) for role in Role
}


def can(actor, permission: P) -> bool:
    """True when the actor is an active, logged-in user whose role grants the permission."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    try:
        role = Role(actor.role)
    except ValueError:
        return False
    return role in WHO_MAY.get(permission, frozenset())


def require(actor, permission: P) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    if not can(actor, permission):
        raise NotAllowed()


def permission_required(permission: P):
    """View decorator: login required, then the permission; otherwise 401/redirect or 403."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require(current_user._get_current_object(), permission)
            return view(*args, **kwargs)
        wrapped.required_permission = permission  # read by the access-matrix test
        return wrapped
    return decorator
