"""The home page's gas-sold card (issue #19: the director answers for gas sold): this month so far, billed
and by IC card, against the same days of last year. One statement (sales.sums); the home page keeps it."""
from datetime import date

from fieldsvc import clock
from fieldsvc.reports import sales, services


def sold_card(actor) -> dict:
    today = clock.today()
    try:
        last_year_day = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        last_year_day = date(today.year - 1, 2, 28)
    now, before = sales.sums([(last_year_day.replace(day=1), last_year_day), (today.replace(day=1), today)],
                             services.scope(actor, None))[::-1]
    total, last = sales.total_m3(now), sales.total_m3(before)
    return {"billed_m3": now["billed_m3"], "card_m3": now["card_m3"], "total_m3": total,
            "change_pct": sales.change_pct(total, last), "since": today.replace(day=1)}
