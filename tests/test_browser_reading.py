"""Reading on every screen, in a real browser: the phone-first list (keyboard and screen-reader
journeys at 320 and 375 pixels, with and without JavaScript), the coverage table with eleven
principles at 1,280 and 375 pixels and on paper, and the README's screenshots of these and of a
PDF pack's first pages. Fixtures and helpers are tests/test_browser.py's."""

import io
import re

import pytest

from principles.models import Principle
from tests import test_browser
from tests.factories import CaseStudyFactory, PrincipleFactory
from tests.test_browser import (
    DESKTOP,
    MOBILE,
    NARROW,
    SCREENSHOTS,
    axe_violations,
    focused,
    save_screenshot,
    tab_to,
)

pytestmark = test_browser.pytestmark
site = test_browser.site

ONE_FOUND = re.compile(r"\b1 case study\b")


def expanded(page, selector):
    """The expanded state assistive technology is told for the element at `selector`."""
    cdp = page.context.new_cdp_session(page)
    handle = cdp.send("Runtime.evaluate", {"expression": f"document.querySelector({selector!r})"})
    node = cdp.send("DOM.describeNode", {"objectId": handle["result"]["objectId"]})["node"]
    tree = cdp.send(
        "Accessibility.getPartialAXTree",
        {"backendNodeId": node["backendNodeId"], "fetchRelatives": False},
    )
    ax = tree["nodes"][0]
    states = {prop["name"]: prop["value"].get("value") for prop in ax.get("properties", [])}
    return ax["name"]["value"], states.get("expanded")


@pytest.mark.parametrize("viewport", [NARROW, MOBILE], ids=["320px", "375px"])
def test_on_a_phone_the_results_come_first_and_the_keyboard_opens_the_filters(
    site, open_page, viewport
):
    page = open_page(viewport)
    page.goto(site + "/case-studies/?principle=learning")
    count = page.locator("#result-count")
    assert count.is_visible() and not page.locator("#filters").is_visible()
    box = count.bounding_box()
    assert box["y"] + box["height"] < viewport["height"], "the count is on the first screen"
    assert page.locator("#results article").first.bounding_box()["y"] < 2 * viewport["height"]
    assert expanded(page, "#filter-panel > summary") == ("Filters (1 active)", False)

    toggle = tab_to(page, lambda e: e["tag"] == "summary")
    assert toggle["text"].startswith("Filters")
    page.keyboard.press("Enter")
    assert page.locator("#filters").is_visible()
    assert expanded(page, "#filter-panel > summary") == ("Filters (1 active)", True)

    tab_to(page, lambda e: e["tag"] == "input" and e["label"].startswith("Innovation"))
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"principle=innovation"))
    page.locator("#filter-panel-count", has_text="(2 active)").wait_for()
    assert focused(page)["label"].startswith("Innovation"), "focus stays on the filter"
    assert expanded(page, "#filter-panel > summary")[0] == "Filters (2 active)"
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"

    tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Apply filters")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "results", "the results take the focus"
    tab_to(page, lambda e: e["text"].startswith("Consulting Birmingham"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/case-studies/strategy-consult-birmingham-cc/$"))


def test_on_a_phone_without_javascript_the_filters_open_and_submit(site, open_page):
    page = open_page(MOBILE, java_script_enabled=False)
    page.goto(site + "/case-studies/")
    assert not page.locator("#filters").is_visible()
    tab_to(page, lambda e: e["tag"] == "summary")
    page.keyboard.press("Enter")
    page.get_by_label("Social partnership").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"\?.*principle=social-partnership"))
    assert ONE_FOUND.search(page.locator("#result-count").inner_text())
    assert page.locator("#filter-panel-count").inner_text() == "(1 active)"


def test_on_a_wide_screen_the_filters_are_an_open_sidebar(site, open_page):
    page = open_page(DESKTOP)
    page.goto(site + "/case-studies/")
    assert page.locator("#filters").is_visible()
    assert not page.locator("#filter-panel > summary").is_visible()
    form, results = page.locator("#filters").bounding_box(), page.locator("#results").bounding_box()
    assert form["x"] + form["width"] <= results["x"], "beside the results"


CLIPPED_HEADERS = """() => {
    return [...document.querySelectorAll(".coverage-table thead th")].flatMap((th) => {
        const cell = th.getBoundingClientRect();
        const clipped = th.scrollWidth > th.clientWidth + 1
            || th.scrollHeight > th.clientHeight + 1;
        const text = [...th.querySelectorAll("a")].some((a) => [...a.getClientRects()].some(
            (r) => r.left < cell.left - 1 || r.right > cell.right + 1));
        return clipped || text ? [th.innerText] : [];
    });
}"""


@pytest.fixture
def eleven_principles(site):
    for title in (
        "Community leadership and a new role for councillors",
        "Democratic engagement",
        "Enterprise and social economy",
        "Sustainable and inclusive economies",
    ):
        PrincipleFactory(title=title, slug=title.lower().replace(" ", "-"))
    principles = list(Principle.objects.all())
    CaseStudyFactory(title="Meets all eleven", principles=principles)
    return principles


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280px", "375px"])
def test_coverage_with_eleven_principles_scrolls_in_its_frame_with_no_clipped_header(
    site, open_page, eleven_principles, viewport
):
    page = open_page(viewport)
    page.goto(site + "/principles/coverage/")
    headers = page.locator(".coverage-table thead th")
    assert headers.count() == 1 + 11 + 1
    assert page.evaluate(CLIPPED_HEADERS) == []
    frame = page.locator(".table-scroll")
    wider = page.evaluate(
        "(() => { const f = document.querySelector('.table-scroll');"
        " return f.scrollWidth > f.clientWidth; })()"
    )
    assert page.locator("#coverage-hint").is_visible() == wider, "the hint shows when it scrolls"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert axe_violations(page) == []
    if wider:
        frame.focus()
        assert frame.get_attribute("aria-labelledby") == "coverage-caption"
        for _ in range(6):
            page.keyboard.press("ArrowRight")
        # Polled from here: wait_for_function's in-page polling evaluates a string, which the
        # site's CSP (no 'unsafe-eval') refuses whenever the first check comes too soon.
        scrolled = "document.querySelector('.table-scroll').scrollLeft"
        for _ in range(50):
            if page.evaluate(scrolled) > 0:
                break
            page.wait_for_timeout(100)
        assert page.evaluate(scrolled) > 0, "the arrow keys scroll the table"
        page.evaluate("document.querySelector('.table-scroll').scrollLeft = 1e6")
        last = page.locator(".coverage-table thead th").last.bounding_box()
        box = frame.bounding_box()
        assert last["x"] + last["width"] <= box["x"] + box["width"] + 1, "the last column shows"
        name = page.locator(".coverage-table tbody th").first.bounding_box()
        assert abs(name["x"] - box["x"]) <= 2, "the case study names stay in view"
    if viewport is DESKTOP:
        page.evaluate("document.querySelector('.table-scroll').scrollLeft = 0")
        page.evaluate("document.activeElement.blur()")
        save_screenshot(page, "coverage-desktop", full_page=False)


def test_coverage_with_eleven_principles_prints_whole(site, open_page, eleven_principles):
    page = open_page({"width": 1000, "height": 700})
    page.goto(site + "/principles/coverage/")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.table-scroll')).overflowX") == (
        "visible"
    )
    assert not page.locator("#filter-panel > summary").is_visible()
    assert page.evaluate(CLIPPED_HEADERS) == []
    table = page.locator(".coverage-table").bounding_box()
    assert table["x"] + table["width"] <= 1000, "the whole table is on the page"
    assert page.pdf(format="A4", landscape=True)[:4] == b"%PDF"


def test_screenshots_of_the_phone_list_and_a_packs_first_pages(site, open_page):
    import pypdfium2
    from PIL import Image

    mobile = open_page(MOBILE)
    mobile.goto(site + "/case-studies/")
    save_screenshot(mobile, "list-mobile", full_page=False)

    response = mobile.request.get(site + "/case-studies/pack.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.body())
    first, second = (pdf[i].render(scale=0.8).to_pil().convert("RGB") for i in (0, 1))
    spread = Image.new("RGB", (first.width + second.width + 24, first.height), "#c9d1cf")
    spread.paste(first, (0, 0))
    spread.paste(second, (first.width + 24, 0))
    buffer = io.BytesIO()
    spread.quantize(colors=256).save(buffer, format="PNG", optimize=True)
    target = SCREENSHOTS / "pack-first-pages.png"
    if not target.exists() or target.read_bytes() != buffer.getvalue():
        target.write_bytes(buffer.getvalue())
    for name in ("list-mobile", "pack-first-pages"):
        assert 0 < (SCREENSHOTS / f"{name}.png").stat().st_size < 400_000, name
