"""An emergency becomes an incident, on a 360×740 phone: the station chief takes the leak call (through the
API with a bearer token), records the incident from the emergency order, who was informed and what was
done; the analysis raises a corrective action as an HSE nonconformity; the incident report PDF carries
the timeline — the order's history, the notification and the step."""
import io
import re

from pypdf import PdfReader

from tests.browser.conftest import log_in

ACCOUNT_NO = "20000031"  # a demo customer
PARTY = "公司调度值班长-浏览器测试"
STEP = "关闭单元总阀并疏散住户-浏览器测试"


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _submit(page, form_id):
    with page.expect_navigation():
        page.locator(f"#{form_id} button[type=submit]").click()
    assert page.locator(".flash-error").count() == 0, page.locator("main").inner_text()[:500]
    assert page.locator("[aria-invalid=true]").count() == 0, page.locator("main").inner_text()[:800]


def _emergency_order(page, base_url) -> int:
    """The leak call, as the dispatch centre's system sends it: the API with a bearer token."""
    token = page.request.post(f"{base_url}/api/v1/auth/token",
                              data={"username": "station_chief", "password": "fieldsvc-demo"}).json()["token"]
    response = page.request.post(f"{base_url}/api/v1/work-orders", headers={"Authorization": f"Bearer {token}"},
                                 data={"type": "emergency", "account_no": ACCOUNT_NO, "priority": "urgent",
                                       "description": "楼道内闻到燃气味，用户已开窗"})
    assert response.status == 201, response.text()
    return response.json()["id"]


def test_emergency_becomes_incident_with_action_and_report(page, base_url):
    order_id = _emergency_order(page, base_url)  # before logging in: no session cookie, the token alone
    log_in(page, base_url, "station_chief")

    # The order waits on the incidents page until it is recorded.
    page.goto(f"{base_url}/management/incidents")
    _fits(page)
    page.locator(f"a[href='/management/incidents/new?order_id={order_id}']").click()
    page.wait_for_url(re.compile(rf".*/management/incidents/new\?order_id={order_id}$"))
    assert page.locator("#f-work_order_id").input_value() == str(order_id)
    assert page.locator("#f-location").input_value()  # the order's address, prefilled
    page.select_option("#f-severity", "general")
    page.fill("#f-immediate_measures", "关闭单元总阀，开窗通风")
    page.fill("#f-resources", "抢修车 1 辆，维修工 2 人")
    _fits(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert re.search(r"/management/incidents/\d+$", page.url), page.locator("main").inner_text()[:500]
    incident_url = page.url
    assert f"#{order_id}" in page.locator("#h-orders + ul").inner_text()

    # Who was informed, and a step of the response.
    page.locator("#notify-form").locator("xpath=..").locator("summary").click()
    page.fill("#f-party", PARTY)
    page.select_option("#f-channel", "phone")
    _submit(page, "notify-form")
    page.locator("#step-form").locator("xpath=..").locator("summary").click()
    page.fill("#f-text", STEP)
    _submit(page, "step-form")
    timeline = page.locator("#h-timeline + .timeline").inner_text()
    assert PARTY in timeline and STEP in timeline

    # The analysis, then a corrective action raised as a nonconformity in HSE.
    page.fill("#f-causes", "软管超期使用老化开裂")
    page.fill("#f-lessons", "入户安检须核查软管年限")
    page.fill("#f-responsibility", "用户未按期更换软管")
    _submit(page, "analysis-form")
    page.fill("#f-description", "排查同批次软管并更换")
    _submit(page, "action-form")
    nc_link = page.locator("#h-actions ~ ul a.mg-nc")
    assert nc_link.count() == 1
    nc_number = nc_link.inner_text().strip()
    assert re.fullmatch(r"NC\d{4}-\d{5}", nc_number)
    _fits(page)

    # The nonconformity is in HSE, raised from the incident.
    nc_link.click()
    page.wait_for_url(re.compile(r".*/hse/nonconformities/\d+$"))
    assert nc_number in page.locator(".topbar-title").inner_text()
    assert "mgmt_incident_action" in page.locator("main").inner_text()  # its source: the incident's action

    # The incident report carries the timeline: the order's history, the notification, the step.
    page.goto(incident_url)
    href = page.locator("#report-pdf").get_attribute("href")
    response = page.request.get(f"{base_url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert f"#{order_id}" in text
    assert PARTY in text and STEP in text and nc_number in text
    assert "软管超期使用老化开裂" in text
    timeline_part = text[text.index("事件时间线"):text.index("信息报送")]
    assert timeline_part.count(f"#{order_id}") >= 1 and PARTY in timeline_part and STEP in timeline_part
