"""Every public page is valid, landmarked HTML5 with labelled controls."""

from html.parser import HTMLParser

import pytest


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.ids = []
        self.labels_for = set()
        self.controls = []
        self.html_lang = None
        self.first_link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "a" and self.first_link is None:
            self.first_link = attrs.get("href")
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden":
            self.controls.append(attrs.get("id"))


PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/?principle=nope",
    "/case-studies/strategy-consult-birmingham-cc/",
    "/principles/",
    "/principles/learning/",
    "/organisations/",
    "/organisations/trueman-change/",
    "/no-such-page/",
    "/accessibility/",
    "/privacy/",
    "/case-studies/?q=Trueman&principle=learning&theme=consultation&sort=title",
    "/case-studies/?principle=social-partnership&principle=learning&match=any&year=2022",
    "/principles/coverage/",
    "/principles/coverage/?organisation=trueman-change",
    "/case-studies/community-covid-response/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_page_structure(client, demo, url):
    response = client.get(url)
    outline = Outline()
    outline.feed(response.text)
    assert response.text.startswith("<!doctype html>")
    assert outline.html_lang == "en-GB"
    assert outline.first_link == "#main"  # the skip link comes first
    assert outline.tags.count("h1") == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in outline.tags
    assert len(outline.ids) == len(set(outline.ids)), "ids are unique"
    for control in outline.controls:
        assert control in outline.labels_for, f"control {control} has a label"
