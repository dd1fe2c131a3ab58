"""Addresses remembered per process (coopnet.urls_kept) are still the right ones."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from casestudies.models import CaseStudy, Organisation, Theme
from principles.models import Principle


def test_kept_addresses_are_reverses_own():
    assert CaseStudy(slug="leeds-energy").get_absolute_url() == reverse(
        "casestudies:casestudy_detail", kwargs={"slug": "leeds-energy"}
    )
    assert Organisation(slug="leeds").get_absolute_url() == "/organisations/leeds/"
    assert Theme(slug="energy").get_absolute_url() == "/case-studies/?theme=energy"
    assert Principle(slug="learning").get_absolute_url() == "/principles/learning/"


def test_kept_addresses_follow_the_script_prefix():
    """A portal served under a path (SCRIPT_NAME) links under it, even to an address kept
    before."""
    assert Organisation(slug="leeds").get_absolute_url() == "/organisations/leeds/"
    set_script_prefix("/network/")
    try:
        assert Organisation(slug="leeds").get_absolute_url() == "/network/organisations/leeds/"
    finally:
        clear_script_prefix()
    assert Organisation(slug="leeds").get_absolute_url() == "/organisations/leeds/"


def test_an_address_put_together_around_a_slug_is_reverses_own():
    """Every view taking a slug alone, with slugs of every kind the converter takes; one it
    does not take is reverse()'s to refuse."""
    import pytest
    from django.urls import NoReverseMatch

    from coopnet.urls_kept import kept_reverse

    views = [
        "casestudies:casestudy_detail",
        "casestudies:casestudy_preview",
        "casestudies:organisation_detail",
        "casestudies:principle_feed_rss",
        "casestudies:theme_feed_atom",
        "principles:principle_detail",
    ]
    for view in views:
        for slug in ["a", "leeds-energy", "2024_report", "Co-Production-9", "x" * 200]:
            assert kept_reverse(view, slug=slug) == reverse(view, kwargs={"slug": slug})
        with pytest.raises(NoReverseMatch):
            kept_reverse(view, slug="not a slug")
