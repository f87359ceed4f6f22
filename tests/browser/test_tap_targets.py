"""Issue #22 item 7 on a 360×740 phone: every tap target on the field pages is at least 24×24 px (WCAG
2.5.8; a link inside a sentence is exempt, as the criterion says) and the primary action at least 44 px
tall. A radio or checkbox counts by its label, which is what a thumb hits."""
import pytest

from tests.browser.conftest import PHONE, log_in

MEASURE = """() => {
  const seen = [];
  const inSentence = (el) => [...el.parentElement.childNodes].some(
      (n) => n !== el && n.nodeType === Node.TEXT_NODE && n.textContent.trim().length > 1);
  for (const el of document.querySelectorAll(
      'main a[href], main button, main select, main summary, main input[type=radio], main input[type=checkbox],'
      + ' main input[type=submit], .tabbar a')) {
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.tagName === 'A' && inSentence(el)) continue;
    const target = (el.tagName === 'INPUT' && el.closest('label')) || el;
    const r = target.getBoundingClientRect();
    const primary = el.matches('.btn-primary, .btn-big, button[type=submit].btn');
    seen.push({what: el.outerHTML.slice(0, 90), w: Math.round(r.width), h: Math.round(r.height), primary});
  }
  return seen;
}"""


def _too_small(page) -> list[dict]:
    return [t for t in page.evaluate(MEASURE)
            if t["w"] < 24 or t["h"] < 24 or (t["primary"] and t["h"] < 44)]


def _first_link(page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("href")


@pytest.mark.parametrize("user, paths", [
    ("meter_reader", ["/", "/readings/my-route", "route", "stop", "/outbox"]),
    ("repair_tech", ["/", "/dispatch/jobs", "job"]),
    ("pipe_fitter", ["/", "/inspections/mine"]),
])
def test_field_pages_have_targets_a_thumb_can_hit(browser, base_url, user, paths):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, base_url, user)
    problems = {}
    for path in paths:
        if path == "route":
            path = _first_link(page, "main a[href*='/readings/routes/']")
        elif path == "stop":
            path = _first_link(page, "main a[href*='/stops/']")
        elif path == "job":
            path = _first_link(page, "main a[href*='/dispatch/orders/']")
        page.goto(base_url + path if path.startswith("/") else path)
        small = _too_small(page)
        if small:
            problems[path] = small
    context.close()
    assert not problems, problems
