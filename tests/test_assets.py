"""Every asset comes from the project, and pages are ready for a strict Content Security Policy:
no inline script or style, only the JSON-LD data block (which browsers never execute)."""

import re

import pytest

from tests.test_html import PAGES


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_pages_use_only_the_projects_own_assets_and_no_inline_code(client, demo, url):
    text = client.get(url).text
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", text):
        for address in re.findall(r'(?:src|href)="([^"]+)"', tag):
            if 'rel="canonical"' in tag or 'rel="alternate"' in tag:
                continue  # links to pages and feeds, not assets the page loads
            assert address.startswith("/static/"), f"{tag} loads from outside the project"
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", text, re.S):
        assert "src=" in attrs or 'type="application/ld+json"' in attrs, attrs
        assert "src=" not in attrs or not body.strip()
    assert " style=" not in text
    assert re.search(r"\son[a-z]+=", text) is None, "no inline event handlers"


@pytest.mark.django_db
def test_only_the_list_page_loads_the_filter_script(client, demo):
    assert '<script src="/static/js/filters.js" defer>' in client.get("/case-studies/").text
    assert "filters.js" not in client.get("/").text


@pytest.mark.django_db
def test_icons_are_hidden_from_assistive_technology_and_sit_beside_text(client, demo):
    text = client.get("/case-studies/").text
    icons = re.findall(r"<svg [^>]*>", text)
    assert icons, "the list shows principle badges with icons"
    for icon in icons:
        assert 'aria-hidden="true"' in icon and 'focusable="false"' in icon
    assert '<use href="/static/img/icons.svg#icon-' in text
    badge = re.search(
        r'<span class="principle-badge principle--\w+"><svg [^>]*>.*?</span></span>', text
    )
    assert badge and re.search(r"<span>[^<]+</span></span>$", badge.group(0)), "icon, then title"
