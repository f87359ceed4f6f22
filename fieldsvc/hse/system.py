"""The HSE system's registration (legal register, internal audits, management review): its words, API,
upload rule, home card and menu entries, called from fieldsvc.hse.init_app."""


def init_app(app) -> None:
    from fieldsvc import api, clock, home, nav, uploads
    from fieldsvc.hse import labels_system
    from fieldsvc.hse.api_legal import blp
    from fieldsvc.hse.services import legal
    from fieldsvc.permissions import P

    labels_system.register(app)
    api.register(app, blp)
    uploads.register_visibility(app, legal.EVALUATION_ENTITY, legal.evidence_visible)
    # Figures only (the card is cached a minute and dropped by any write): evaluations overdue and due.
    home.add(app, home.HomeCard("hse.legal_due", "hse/_home_legal.html", home.as_fetched, P.legal_view,
                                roles=frozenset({"safety_officer", "director"}), order=12, group="hse",
                                figures=lambda actor: legal.due_queries(actor, clock.today())))
    nav.add(app, nav.NavItem("hse.legal_register", nav._l("Legal requirements"), "shield", P.legal_view,
                             order=92, tab=False))
    nav.add(app, nav.NavItem("hse.audit_programme", nav._l("Audits and management review"), "shield",
                             P.audits_view, order=93, tab=False))
