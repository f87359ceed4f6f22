"""IC-card gas sales desk (RULES.md §9): tiered prepaid purchases, the card write as a two-phase
transaction, receipts, card events and the clerks' daily reconciliation."""


def init_app(app) -> None:
    from fieldsvc import api, nav
    from fieldsvc.cardsales import labels, models  # noqa: F401
    from fieldsvc.cardsales.api import blp
    from fieldsvc.cardsales.cli import cardsales_cli
    from fieldsvc.cardsales.timeline import SOURCES as timeline_sources
    from fieldsvc.cardsales.views import bp
    from fieldsvc.customers.services import add_timeline_source
    from fieldsvc.permissions import P

    labels.register(app)
    app.register_blueprint(bp)
    api.register(app, blp)
    app.cli.add_command(cardsales_cli)
    add_timeline_source(app, *timeline_sources)
    from fieldsvc import home
    from fieldsvc.cardsales.services import days
    home.add(app, home.HomeCard("cardsales.today", "cardsales/_home_today.html", days.today_summary, P.card_sell,
                           order=5, group="sales"))
    home.add(app, home.HomeCard("cardsales.reversals", "cardsales/_home_reversals.html",
                           home.as_fetched, P.card_reversal_approve, figures=days.pending_reversal_figures,
                           order=9, group="sales"))
    nav.add(app, nav.NavItem("cardsales.desk", nav._l("Card sales"), "card", P.card_sell, order=12))
    nav.add(app, nav.NavItem("cardsales.days", nav._l("Card sales days"), "card", P.card_sales_view, order=29,
                        tab=False))
