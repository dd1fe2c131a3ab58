"""The public site in a real browser: axe-core finds no accessibility violations on any page
type at desktop and mobile widths, the site works with the keyboard alone, the filters update
in place with JavaScript and still work without it, and a case study prints cleanly.

These tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; they never download
a browser. Without Chromium they are skipped with the reason, except in CI, where they fail.
The browser (one for the whole session) and the tabs come from tests/conftest.py.
They also save the README's screenshots in docs/screenshots/.
"""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from casestudies.models import CaseStudy, Contact
from principles.models import Principle
from tests.factories import CaseStudyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"

ONE_FOUND = re.compile(r"\b1 case study\b")
TWO_FOUND = re.compile(r"\b2 case studies\b")
PAGE_TYPES = {
    "home": "/",
    "list": "/case-studies/",
    "filtered list": "/case-studies/?principle=social-partnership&principle=learning",
    "case study": "/case-studies/strategy-consult-birmingham-cc/",
    "principles": "/principles/",
    "principle": "/principles/walking-the-talk/",
    "organisations": "/organisations/",
    "organisation": "/organisations/birmingham-city-council/",
    "not found": "/no-such-page/",
    "accessibility statement": "/accessibility/",
    "privacy notice": "/privacy/",
    "alert form": "/alerts/new/?principle=learning",
    "coverage": "/principles/coverage/",
    "search results": "/case-studies/?q=Hyndburn",
    "bad filter": "/case-studies/?principle=no-such-principle",
    "no pack": "/case-studies/pack.pdf?q=nothing-matches-this-at-all",
}
NARROW = {"width": 320, "height": 640}


@pytest.fixture
def site(live_server, demo):
    """The live server with the demo content, made reproducible for screenshots."""
    assert Principle.objects.count() == 7, "the data migrations' principles are there"
    CaseStudy.objects.update(updated_at=dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC))
    Contact.objects.filter(name="Lucy Trueman").update(
        email="lucy@example.org", email_visibility="everyone"
    )
    return live_server.url


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def save_screenshot(page, name, full_page=True):
    """Save a small PNG for the README: quantised to 256 colours, written only when changed."""
    from PIL import Image

    image = Image.open(io.BytesIO(page.screenshot(full_page=full_page)))
    buffer = io.BytesIO()
    image.convert("RGB").quantize(colors=256).save(buffer, format="PNG", optimize=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    if not target.exists() or target.read_bytes() != buffer.getvalue():
        target.write_bytes(buffer.getvalue())
    return target


def focused(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                tag: el.tagName.toLowerCase(),
                id: el.id,
                text: (el.innerText || el.value || "").trim(),
                label: el.labels && el.labels[0] ? el.labels[0].innerText.trim() : "",
                href: el.getAttribute("href") || "",
            };
        }"""
    )


def tab_to(page, matches, limit=80):
    """Press Tab until the focused element matches; fail if it never does."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            return element
        seen.append(element["text"] or element["label"] or element["href"] or element["tag"])
    raise AssertionError(f"Tab never reached the element; focus went through {seen}")


def test_the_axe_check_reports_what_it_finds(browser, open_page):
    page = open_page()
    page.set_content('<html lang="en"><title>t</title><main><h1>x</h1><input></main></html>')
    assert any(v.startswith("label ") for v in axe_violations(page))


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_has_no_axe_violations_at_desktop_and_mobile_widths_and_fits_320px(
    site, open_page, name
):
    url = site + PAGE_TYPES[name]
    for viewport in (DESKTOP, MOBILE, NARROW):
        page = open_page(viewport)
        page.goto(url)
        assert page.locator("h1").count() == 1
        violations = axe_violations(page)
        assert violations == [], f"{name} at {viewport['width']}px: {violations}"
        panel = page.locator("#filter-panel:not([open]) > summary")
        if panel.count():  # on a phone, the filters too, once opened
            panel.click()
            violations = axe_violations(page)
            assert violations == [], f"{name}, filters open, at {viewport['width']}px: {violations}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320px wide"


def test_keyboard_alone_reaches_a_filtered_case_study_and_its_contact(site, open_page):
    page = open_page()
    page.goto(site + "/")

    first = tab_to(page, lambda e: True)
    assert first["href"] == "#main", "the skip link comes first"
    tab_to(page, lambda e: e["tag"] == "a" and e["text"] == "Case studies")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/case-studies/$"))
    assert TWO_FOUND.search(page.locator("#result-count").inner_text())

    tab_to(page, lambda e: e["tag"] == "input" and e["label"].startswith("Social partnership"))
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"principle=social-partnership"))
    page.locator("#result-count", has_text=ONE_FOUND).wait_for()
    assert focused(page)["label"].startswith("Social partnership"), "focus stays on the filter"

    tab_to(page, lambda e: e["text"].startswith("Consulting Birmingham"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/case-studies/strategy-consult-birmingham-cc/$"))

    tab_to(page, lambda e: e["text"] == "Contact the people behind this work")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "contact"
    contact = tab_to(page, lambda e: e["href"].startswith("mailto:"), limit=5)
    assert contact["href"] == "mailto:lucy@example.org"
    assert "Lucy Trueman" in page.locator("#contact").inner_text()


def test_focus_is_clearly_visible(site, open_page):
    page = open_page()
    page.goto(site + "/")
    tab_to(page, lambda e: e["text"] == "Case studies")
    background = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert background == "rgb(255, 191, 71)"


def test_filters_update_the_results_in_place_and_back_undoes_it(site, open_page):
    page = open_page()
    page.goto(site + "/case-studies/")
    page.evaluate(
        "window.notReloaded = true; document.getElementById('result-count').marked = true"
    )
    page.get_by_label("Social partnership").check()
    page.wait_for_url(re.compile(r"[?&]principle=social-partnership(&|$)"))
    count = page.locator("#result-count")
    count.filter(has_text=ONE_FOUND).wait_for()
    assert page.locator("#results article").count() == 1
    assert page.evaluate("window.notReloaded === true"), "the page was not reloaded"
    assert page.evaluate("document.getElementById('result-count').marked === true"), (
        "the live region is the same element, so its new text is announced"
    )
    assert count.get_attribute("role") == "status"
    assert axe_violations(page) == [], "the updated page is as accessible as a loaded one"

    page.go_back()
    page.wait_for_url(re.compile(r"/case-studies/$"))
    count.filter(has_text=TWO_FOUND).wait_for()
    assert not page.get_by_label("Social partnership").is_checked()
    assert page.evaluate("window.notReloaded === true")

    page.go_forward()
    count.filter(has_text=ONE_FOUND).wait_for()
    assert page.get_by_label("Social partnership").is_checked()


def test_searching_with_javascript_moves_focus_to_the_results(site, open_page):
    page = open_page()
    page.goto(site + "/case-studies/")
    page.get_by_label("Search").fill("Hyndburn")
    page.get_by_label("Search").press("Enter")
    page.wait_for_url(re.compile(r"[?&]q=Hyndburn(&|$)"))
    page.locator("#result-count", has_text=ONE_FOUND).wait_for()
    assert focused(page)["id"] == "results"
    assert page.title().startswith("Case studies")


def test_filters_work_without_javascript(site, open_page):
    page = open_page(java_script_enabled=False)
    page.goto(site + "/case-studies/")
    assert not page.get_by_label("Social partnership").is_visible(), "in the closed panel"
    page.locator("#filter-panel > summary").click()
    page.get_by_label("Social partnership").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"\?.*principle=social-partnership"))
    assert ONE_FOUND.search(page.locator("#result-count").inner_text())
    assert page.locator("#results article").count() == 1


def test_a_case_study_prints_without_navigation_and_with_link_addresses(site, open_page):
    page = open_page()
    page.goto(site + "/case-studies/strategy-consult-birmingham-cc/")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".breadcrumbs", ".skip-link"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator(".print-source").is_visible()
    address = page.evaluate(
        """getComputedStyle(
            document.querySelector('.facts a[href^="/organisations/"]'), '::after'
        ).content"""
    )
    assert address == '" (/organisations/birmingham-city-council/)"'
    assert page.pdf(format="A4")[:4] == b"%PDF"


def test_screenshots_for_the_readme(site, open_page):
    page = open_page()
    page.goto(site + "/")
    save_screenshot(page, "home-desktop")
    page.goto(site + PAGE_TYPES["filtered list"])
    save_screenshot(page, "filtered-list-desktop")
    page.goto(site + PAGE_TYPES["case study"])
    save_screenshot(page, "case-study-desktop")

    mobile = open_page(MOBILE)
    mobile.goto(site + "/")
    save_screenshot(mobile, "home-mobile")
    mobile.goto(site + PAGE_TYPES["case study"])
    save_screenshot(mobile, "case-study-mobile")

    get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-password")
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(site + "/admin/casestudies/casestudy/")
    assert page.locator("#result_list").is_visible()
    save_screenshot(page, "admin-desktop", full_page=False)

    for name in ("home-desktop", "filtered-list-desktop", "case-study-desktop", "admin-desktop"):
        shot = SCREENSHOTS / f"{name}.png"
        assert 0 < shot.stat().st_size < 400_000, name


def test_next_page_loads_in_place_and_takes_focus_to_the_results(site, open_page):
    for number in range(settings.CASE_STUDIES_PER_PAGE):
        CaseStudyFactory(title=f"Extra case study {number}")
    page = open_page()
    page.goto(site + "/case-studies/")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"\?page=2$"))
    page.get_by_text("Page 2 of 2").wait_for()
    assert page.evaluate("window.notReloaded === true")
    assert focused(page)["id"] == "results"
    assert page.title().startswith("Case studies (page 2)")


def test_the_not_found_page_offers_a_search_and_short_pages_keep_the_footer_down(site, open_page):
    page = open_page(DESKTOP)
    page.goto(site + "/no-such-page/")
    footer_bottom = page.evaluate(
        "() => document.querySelector('footer').getBoundingClientRect().bottom"
    )
    assert footer_bottom >= DESKTOP["height"] - 1, "no band of white under the footer"
    page.get_by_label("Search the case studies instead").fill("Hyndburn")
    page.get_by_label("Search the case studies instead").press("Enter")
    page.wait_for_url(re.compile(r"/case-studies/\?q=Hyndburn"))
    assert ONE_FOUND.search(page.locator("main").inner_text())
