"""The list's search and empty states in a real browser, at the narrowest phone width (320 px):
every label and the sort box show their whole text, and axe finds nothing."""

import re

import pytest

from tests.test_browser import axe_violations, site  # noqa: F401 (the `site` fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARROW = {"width": 320, "height": 640}

# For each label, select and empty-state line of the list page: whether its text is cut off
# (wider than the box that shows it) or runs past the window's right edge.
CLIPPED = """() => {
    const clipped = [];
    const right = document.documentElement.clientWidth;
    for (const el of document.querySelectorAll(
        "#filters label, #filters legend, .empty-results p, .empty-results li, #result-count"
    )) {
        const box = el.getBoundingClientRect();
        if (el.scrollWidth > el.clientWidth + 1 || box.right > right + 1) {
            clipped.push(el.innerText.trim());
        }
    }
    for (const select of document.querySelectorAll("#filters select")) {
        const style = getComputedStyle(select);
        const probe = document.createElement("span");
        probe.style.cssText = "position:absolute;white-space:nowrap;visibility:hidden";
        probe.style.font = style.font;
        probe.textContent = select.options[select.selectedIndex].text;
        document.body.appendChild(probe);
        const text = probe.getBoundingClientRect().width;
        probe.remove();
        const room = select.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight) - 20;  // the arrow
        if (text > room) clipped.push(select.name + ": " + probe.textContent);
    }
    return clipped;
}"""


def test_the_search_page_and_its_empty_state_fit_320_pixels(site, open_page):  # noqa: F811
    page = open_page(NARROW)
    page.goto(site + "/case-studies/?q=consultaton&kind=policy_lab")
    assert page.locator("#id_sort").input_value() == "relevance"
    assert page.get_by_role("link", name="“consultation”").is_visible()
    assert page.get_by_role("link", name="Remove Kind: Policy Lab").is_visible()
    assert page.get_by_role("link", name="Download this list as CSV").count() == 0
    assert page.evaluate(CLIPPED) == []
    assert axe_violations(page) == []

    page.get_by_role("link", name="“consultation”").click()
    from playwright.sync_api import expect

    page.wait_for_url("**/case-studies/?q=consultation")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^1 case study found"))
    assert page.evaluate(CLIPPED) == []
    assert axe_violations(page) == []
