"""What a sale's page offers: the moves of the sale's table (rules.SALE_MOVES) and of its reversal request
(rules.REVERSAL_MOVES) that this actor may make now, judged by the same check the services refuse with
(writing.authorise). So the buttons and the services cannot disagree."""
from fieldsvc.cardsales import rules
from fieldsvc.cardsales.models import CardSale
from fieldsvc.cardsales.services import sales, writing
from fieldsvc.statemachine import Step, permitted


def available_moves(actor, sale: CardSale) -> list[Step]:
    """The clerk's write, confirm and reversal (or request for one) of their own sale, the chief's approval
    or rejection of an open request; nothing once the sale's day is closed (the services refuse with 409)."""
    if sales.day_closed(sale.clerk_id, sale.outlet_id, sale.business_date):
        return []
    may = permitted(lambda move: writing.authorise(actor, sale, move.by))
    # The chief reverses a confirmed sale only by approving the clerk's request: offered as that.
    steps = [step for step in rules.SALE_MACHINE.allowed(sale.status, may) if step.by == rules.By.clerk]
    state = rules.reversal_state(sale.status, sale.kind, sale.open_reversal is not None)
    if state is not None:
        steps += rules.REVERSAL_MACHINE.allowed(state, may)
    return steps
