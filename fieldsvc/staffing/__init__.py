"""Role requirements (RULES.md §1): education, years of experience and certificates per role, as
configuration; each person's gaps on their staff page and the director's home."""


def init_app(app) -> None:
    from fieldsvc import home
    from fieldsvc.auth.rules import QualificationKind
    from fieldsvc.permissions import P
    from fieldsvc.staffing import labels, rules, services

    # A wrong ROLE_REQUIREMENTS fails at start-up, not on a page.
    rules.requirement_table(app.config.get("ROLE_REQUIREMENTS"), [k.value for k in QualificationKind])
    labels.register(app)
    home.add(app, home.HomeCard("staffing.gaps", "staffing/_home_gaps.html", services.home_figures,
                                P.staff_manage, order=30, group="office"))
