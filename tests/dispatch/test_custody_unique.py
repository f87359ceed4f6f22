"""A tool or part's code is unique (issue #23): a taken code is a Duplicate, the page shows it at the field with
what was typed kept, and a race past the check is a 409, never a 500."""
import re

import pytest
from sqlalchemy import func, select

from fieldsvc.dispatch.models import CustodyItem
from fieldsvc.dispatch.services import custody
from fieldsvc.errors import Duplicate

EN = {"Accept-Language": "en"}
ITEM = {"code": "HOSE-15", "name": "1.5 m hose", "item_kind": "part", "unit": "pc"}


def test_a_taken_code_is_a_duplicate(staff, db, en_request):
    custody.create_item(staff["station_chief"], {"code": "HOSE-15", "name": "1.5 m hose", "kind": "part"})
    with pytest.raises(Duplicate) as caught:
        custody.create_item(staff["station_chief"], {"code": "HOSE-15", "name": "Another hose", "kind": "part"})
    assert caught.value.status == 409 and caught.value.errors == {"code": ["This code already exists."]}


def test_a_taken_code_on_the_page_is_the_fields_message_with_the_typed_values(staff, db, login):
    chief = login("station_chief")
    assert chief.post("/dispatch/custody/items", data=ITEM).status_code == 302
    again = chief.post("/dispatch/custody/items", data={**ITEM, "name": "第二种软管"}, headers=EN)
    page = again.get_data(as_text=True)
    assert again.status_code == 422
    error = re.search(r'<p class="error" id="e-code">([^<]*)</p>', page)
    assert error and "This code already exists." in error.group(1)
    assert 'value="第二种软管"' in page and 'value="HOSE-15"' in page
    assert db.session.execute(select(func.count()).select_from(CustodyItem)).scalar() == 1


def test_a_code_race_is_409_not_500(staff, db, login, monkeypatch):
    chief = login("station_chief")
    assert chief.post("/dispatch/custody/items", data=ITEM).status_code == 302
    real_execute = db.session.execute

    def nothing_taken(stmt, *args, **kwargs):  # the service's check sees no item; everything else is real
        if "custody_items.code =" in str(stmt) and "custody_items.id" in str(stmt):
            return real_execute(select(CustodyItem.id).where(CustodyItem.id < 0))
        return real_execute(stmt, *args, **kwargs)
    monkeypatch.setattr(db.session, "execute", nothing_taken)
    again = chief.post("/dispatch/custody/items", data=ITEM, headers=EN)
    monkeypatch.undo()
    assert again.status_code == 409
    assert db.session.execute(select(func.count()).select_from(CustodyItem)).scalar() == 1
