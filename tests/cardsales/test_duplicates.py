"""A card number already in use is a Duplicate (409 `{"error"}` on the API; on the page the message at the
field with what was typed kept), found by the service before anything is inserted."""
import pytest

from fieldsvc.cardsales.models import CardAccount
from fieldsvc.cardsales.services import cards
from fieldsvc.errors import Duplicate, handle_domain_error


@pytest.mark.parametrize("reissue", [False, True])
def test_a_taken_card_number_is_a_duplicate(world, db, reissue):
    taken = world.card()
    other = world.card()
    before = db.session.query(CardAccount).count()
    with pytest.raises(Duplicate) as exc:
        if reissue:
            cards.reissue_card(world.clerk, other, taken.card_no, "lost")
        else:
            cards.issue_card(world.clerk, world.meter(other.customer).id, f" {taken.card_no} ")
    field = "new_card_no" if reissue else "card_no"
    assert exc.value.status == 409 and exc.value.errors == {field: ["This card number is already in use."]}
    db.session.flush()
    assert db.session.query(CardAccount).count() == before  # refused before the insert
    assert db.session.get(CardAccount, other.id).status == "active"


def test_the_api_answers_409_with_the_message(world, app):
    taken = world.card()
    with pytest.raises(Duplicate) as exc:
        cards.issue_card(world.clerk, world.meter(taken.customer).id, taken.card_no)
    with app.test_request_context("/api/v1/card-sales", headers={"Accept-Language": "en"}):
        response, status = handle_domain_error(exc.value)
    assert status == 409 and response.get_json() == {"error": "This card number is already in use."}


@pytest.mark.parametrize("reissue", [False, True])
def test_the_page_shows_it_at_the_field_with_the_typed_values(world, login_en, db, reissue):
    taken = world.card()
    other = world.card()
    db.session.commit()
    client = login_en("card_clerk")
    if reissue:
        url, form, field = f"/cardsales/cards/{other.id}/reissue", {"new_card_no": taken.card_no,
                                                                    "reason": "卡片丢失"}, "new_card_no"
    else:
        meter = world.meter(other.customer)
        db.session.commit()
        url, form, field = f"/cardsales/meters/{meter.id}/issue", {"card_no": taken.card_no,
                                                                   "note": "新装表"}, "card_no"
    response = client.post(url, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'name="{field}"' in page and f'value="{taken.card_no}"' in page
    assert page.index("This card number is already in use.") > page.index(f'name="{field}"')  # at the field
    for value in form.values():
        assert value in page
