"""Without signal: pages opened before still show, others show the offline page, and the app comes back."""
from tests.browser.conftest import log_in


def test_visited_page_works_offline(page, context, base_url):
    log_in(page, base_url, "repair_tech")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the worker
    page.goto(f"{base_url}/customers/?q=20000042")
    title = page.locator("ul.list a").first.inner_text()
    page.locator("ul.list a").first.click()
    page.wait_for_selector("#h-timeline")
    customer_url = page.url
    context.set_offline(True)
    try:
        page.goto(customer_url)
        assert page.locator("#h-timeline").is_visible()
        assert title.split("·")[0].strip() in page.content()
        page.goto(f"{base_url}/customers/?q=never-opened")
        assert page.locator("main#offline").is_visible()
    finally:
        context.set_offline(False)
    page.goto(f"{base_url}/")
    assert page.locator(".greeting").is_visible()
