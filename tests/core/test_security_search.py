"""LIKE wildcards typed into a search are looked for as such (issue 23, item 9): before, `%` matched every
customer and `_` any one character, so a search for "王_" listed every 王 with a two-character name."""
import pytest

CUSTOMERS = [("50000001", "王小明", "测试路1号"), ("50000002", "王_", "测试路2号"), ("50000003", "折扣100%", "测试路3号"),
             ("50000004", "王明", "测试路4号"), ("50000005", "李/斜杠", "测试路5号")]


@pytest.fixture
def customers(staff, api):
    client, headers = api("station_chief")
    for account, name, address in CUSTOMERS:
        response = client.post("/api/v1/customers", headers=headers, json={
            "account_no": account, "name": name, "category": "residential", "gas": "NG", "district": "城东片区",
            "address": address})
        assert response.status_code == 201, response.json
    return client, headers


@pytest.mark.parametrize(("q", "names"), [
    ("%", {"折扣100%"}),
    ("100%", {"折扣100%"}),
    ("_", {"王_"}),
    ("王_", {"王_"}),
    ("王%", set()),
    ("/", {"李/斜杠"}),            # the escape character itself is plain text too
    ("王", {"王小明", "王_", "王明"}),  # ordinary searches are unchanged
    ("5000000_", set()),          # an account-number prefix with a wildcard matches nothing
    ("5000000", {name for _a, name, _d in CUSTOMERS}),
])
def test_customer_search_takes_wildcards_literally(customers, q, names):
    client, headers = customers
    found = client.get("/api/v1/customers", headers=headers, query_string={"q": q}).json["items"]
    assert {c["name"] for c in found} == names


def test_meter_search_takes_wildcards_literally(staff, api):
    client, headers = api("metering_tech")
    for serial in ("QX1_0001", "QX100001"):
        assert client.post("/api/v1/meters", headers=headers, json={
            "serial_no": serial, "size": "G4", "accuracy_class": "1.0", "kind": "smart",
            "location": "outdoor"}).status_code == 201
    found = client.get("/api/v1/meters", headers=headers, query_string={"q": "QX1_"}).json["items"]
    assert [m["serial_no"] for m in found] == ["QX1_0001"]
    found = client.get("/api/v1/meters", headers=headers, query_string={"q": "%"}).json["items"]
    assert found == []


def test_the_customer_search_page_too(customers, login):
    page = login("station_chief").get("/customers/", query_string={"q": "%"}).get_data(as_text=True)
    assert "折扣100%" in page and "王小明" not in page
