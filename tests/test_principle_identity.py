"""Each principle has a recognisable identity: a colour and an icon, always with its title."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from principles.models import Principle
from tests.factories import CaseStudyFactory, PrincipleFactory

STATIC = Path(settings.BASE_DIR) / "static"

SEVEN = {
    "co-production": ("blue", "people"),
    "innovation": ("amber", "bulb"),
    "learning": ("purple", "book"),
    "maximising-social-value": ("crimson", "heart"),
    "new-models-of-meeting-priority-needs": ("green", "house"),
    "social-partnership": ("teal", "link"),
    "walking-the-talk": ("magenta", "steps"),
}


def luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def palette():
    css = (STATIC / "css" / "site.css").read_text()
    found = re.findall(
        r"\.principle--([a-z]+) \{ --p: (#[0-9a-f]{6}); --p-tint: (#[0-9a-f]{6}); \}", css
    )
    return {name: (dark, tint) for name, dark, tint in found}


def test_the_seven_principles_each_have_their_own_colour_and_icon(principles):
    assert {p.slug: (p.colour, p.icon) for p in principles} == SEVEN
    assert len({p.colour for p in principles}) == len({p.icon for p in principles}) == 7


@pytest.mark.django_db
def test_a_new_principle_gets_the_default_colour_and_icon():
    principle = PrincipleFactory(title="Democratic engagement", slug="democratic-engagement")
    assert (principle.colour, principle.icon) == ("slate", "check")
    principle.colour = principle.icon = ""
    principle.save()
    principle.refresh_from_db()
    assert (principle.colour, principle.icon) == ("slate", "check")


def test_every_colour_choice_is_styled_and_reads_at_aa_contrast():
    styled = palette()
    assert set(styled) == set(Principle.Colour.values)
    for name, (dark, tint) in styled.items():
        assert contrast(dark, "#ffffff") >= 4.5, name
        assert contrast(dark, tint) >= 4.5, name
        assert contrast("#1b1f23", tint) >= 4.5, name


def test_every_icon_choice_is_drawn_in_the_sprite():
    sprite = (STATIC / "img" / "icons.svg").read_text()
    for icon in Principle.Icon.values:
        assert f'<symbol id="icon-{icon}"' in sprite


@pytest.mark.django_db
def test_pages_show_a_principle_by_icon_and_title_in_its_colour(client, principles):
    learning = next(p for p in principles if p.slug == "learning")
    case_study = CaseStudyFactory(title="Shared learning", principles=[learning])
    for url in ("/", "/case-studies/", case_study.get_absolute_url(), "/principles/learning/"):
        text = client.get(url).text
        badge = re.search(r'class="[^"]*principle--purple[^"]*".{0,600}?Learning', text, re.S)
        assert badge, url
        assert "icons.svg#icon-book" in badge.group(0), url


@pytest.mark.django_db
def test_staff_choice_of_colour_and_icon_shows_on_the_public_pages(admin_client, principles):
    innovation = next(p for p in principles if p.slug == "innovation")
    response = admin_client.post(
        f"/admin/principles/principle/{innovation.pk}/change/",
        {
            "title": innovation.title,
            "slug": innovation.slug,
            "statement": innovation.statement,
            "position": innovation.position,
            "colour": "teal",
            "icon": "star",
            "commitments-TOTAL_FORMS": "0",
            "commitments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    text = admin_client.get("/principles/innovation/").text
    assert "principle-hero principle--teal" in text
    assert "icons.svg#icon-star" in text


@pytest.mark.django_db
def test_cards_show_a_principles_new_title_colour_and_icon(client, principles):
    """A card's row of badges is drawn once per set of principles: the set's new look is a new
    row."""
    innovation = next(p for p in principles if p.slug == "innovation")
    CaseStudyFactory(title="Something new", principles=[innovation])
    before = client.get("/case-studies/").text
    assert re.search(r"principle--amber.{0,300}?<span>Innovation</span>", before, re.S)
    innovation.title, innovation.colour, innovation.icon = "Trying things", "teal", "star"
    innovation.save()
    after = client.get("/case-studies/").text
    badge = re.search(
        r'class="principle-badge principle--teal">.{0,300}?</span></span>', after, re.S
    )
    assert badge and "icons.svg#icon-star" in badge.group(0) and "Trying things" in badge.group(0)
    assert "<span>Innovation</span>" not in after
