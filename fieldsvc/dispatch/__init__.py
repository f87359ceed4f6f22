"""Dispatch and work orders: the station chief's board, the technician's jobs, completion with photos
and signature, follow-up calls, tools and parts in custody, the job sheet."""


def init_app(app) -> None:
    from fieldsvc import api, nav, uploads
    from fieldsvc.dispatch import labels, models, rules  # noqa: F401
    from fieldsvc.dispatch.api import blp
    from fieldsvc.dispatch.services import orders, timeline
    from fieldsvc.dispatch.views import bp
    from fieldsvc.permissions import P

    rules.targets(app.config.get("DISPATCH_TARGETS"))  # a wrong override fails at start-up, not mid-shift
    labels.register(app)
    app.register_blueprint(bp)
    api.register(app, blp)
    uploads.register_visibility(app, "work_order", orders.may_see_id)
    timeline.register(app)
    from fieldsvc import home
    from fieldsvc.dispatch.services import board
    home.add(app, home.HomeCard("dispatch.jobs", "dispatch/_home_jobs.html",
                           home.as_fetched, P.orders_help, order=5, figures=board.jobs_today_figures))
    home.add(app, home.HomeCard("dispatch.board", "dispatch/_home_board.html", home.as_fetched,
                           P.orders_view_all, order=5, figures=board.chief_figures))
    # Helpers who work no orders of their own (meter readers) reach their jobs from the home card: their
    # bottom bar keeps their route.
    nav.add(app, nav.NavItem("dispatch.jobs", nav._l("My jobs"), "orders", P.orders_work, order=5))
    nav.add(app, nav.NavItem("dispatch.board", nav._l("Dispatch"), "orders", P.orders_view_all, order=5))
    nav.add(app, nav.NavItem("dispatch.followups", nav._l("Follow-up calls"), "orders", P.followup_record,
                        order=45, tab=False))
    nav.add(app, nav.NavItem("dispatch.custody_index", nav._l("Tools and parts"), "tools", P.custody_manage,
                        order=46, tab=False))
    nav.add(app, nav.NavItem("dispatch.my_custody", nav._l("My tools and parts"), "tools", P.orders_work,
                        order=46, tab=False))
