"""Members' pages in a real browser (issue 14): allauth's pages in the site's layout, the
account page and "Ask about this work" have no axe violations at desktop and mobile widths,
and a member signs in and asks a question with the keyboard alone."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail

from casestudies.models import Contact, ContactMessage
from tests.test_browser import DESKTOP, MOBILE, axe_violations, site  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-member-password-42"
VISITOR_PAGES = {
    "sign in": "/accounts/login/",
    "sign up": "/accounts/signup/",
    "password reset": "/accounts/password/reset/",
    "become a member": "/members/join/",
    "invitation not valid": "/members/invitation/forged/",
}
MEMBER_PAGES = {
    "account": "/members/account/",
    "delete account": "/members/account/delete/",
    "case study with the question form": "/case-studies/strategy-consult-birmingham-cc/",
    "change password": "/accounts/password/change/",
    "email addresses": "/accounts/email/",
    "sign out": "/accounts/logout/",
}


def assert_accessible(page, name):
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        assert page.locator("h1").count() == 1, name
        violations = axe_violations(page)
        assert violations == [], f"{name} at {viewport['width']}px: {violations}"
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320px wide"


@pytest.fixture
def member_site(site):  # noqa: F811
    user = User.objects.create_user("ann", "ann@oldham.gov.uk", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Contact.objects.filter(name="Lucy Trueman").update(email_visibility="members")
    return site


def sign_in_with_the_keyboard(page, url):
    page.goto(url + "/accounts/login/")
    page.keyboard.press("Tab")  # the skip link first
    page.get_by_label("Email").focus()
    page.keyboard.type("ann@oldham.gov.uk")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/members/account/")


@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_visitor_pages_have_no_axe_violations(site, open_page, name):  # noqa: F811
    page = open_page()
    page.goto(site + VISITOR_PAGES[name])
    assert_accessible(page, name)


def test_member_pages_have_no_axe_violations(member_site, open_page):
    page = open_page()
    sign_in_with_the_keyboard(page, member_site)
    for name, path in MEMBER_PAGES.items():
        page.goto(member_site + path)
        assert_accessible(page, name)


def test_a_member_asks_a_question_with_the_keyboard(member_site, open_page):
    page = open_page()
    sign_in_with_the_keyboard(page, member_site)
    page.goto(member_site + "/case-studies/strategy-consult-birmingham-cc/")
    assert "lucy@example.org" in page.content()  # shown to members

    page.get_by_label("Your question").focus()
    page.keyboard.type("How did you run the consultation?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Your question has been sent")

    assert_accessible(page, "question sent")
    assert [message.to for message in mail.outbox] == [["lucy@example.org"]]
    assert ContactMessage.objects.count() == 1
