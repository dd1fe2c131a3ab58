""" "Ask about this work" (issue 14, point 3): a member's question emailed to the contacts,
reply-to the member, logged without its text, rate-limited, never sent twice."""

import uuid

import pytest
from django.core import mail
from django.test import Client

from casestudies.members.ask import MAX_MESSAGE_CHARS
from casestudies.models import ContactMessage
from tests.factories import CaseStudyFactory, ContactFactory, OrganisationFactory, UserFactory

ASK = "/members/ask/case-study/leeds-energy/"
QUESTION = "How did you recruit the residents' panel? <b>Thanks</b> & regards"


@pytest.fixture
def case_study(principles):
    council = OrganisationFactory(name="Leeds City Council", slug="leeds", membership="full")
    contacts = [
        ContactFactory(
            name="Hidden Hana",
            organisation=council,
            email="hana@leeds.example",
            email_visibility="nobody",
        ),
        ContactFactory(
            name="Open Omar",
            organisation=council,
            email="omar@leeds.example",
            email_visibility="everyone",
        ),
        ContactFactory(name="No-email Nia", organisation=council, email=""),
    ]
    return CaseStudyFactory(
        title="Leeds community energy", slug="leeds-energy", councils=[council], contacts=contacts
    )


@pytest.fixture
def member(db):
    return UserFactory(username="ann", email="ann@oldham.gov.uk", first_name="Ann", last_name="Lee")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def ask(client, message=QUESTION, submission=None, url=ASK):
    return client.post(url, {"message": message, "submission": submission or uuid.uuid4()})


def test_a_member_sees_the_form_and_a_visitor_a_way_to_sign_in(client, case_study, member):
    visitor_page = client.get("/case-studies/leeds-energy/").text
    assert "Ask about this work" in visitor_page
    assert "Sign in to ask the people behind this work a question" in visitor_page
    assert 'name="message"' not in visitor_page  # no form, no CSRF token: still cacheable

    client.force_login(member)
    page = client.get("/case-studies/leeds-energy/").text
    assert 'name="message"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "emailed to 2 contacts" in page
    assert "hana@leeds.example" not in page


def test_no_form_where_no_contact_has_an_email_address(member_client, principles):
    CaseStudyFactory(slug="quiet", contacts=[ContactFactory(name="Nia", email="")])

    page = member_client.get("/case-studies/quiet/").text

    assert "Ask about this work" not in page
    response = ask(member_client, url="/members/ask/case-study/quiet/")
    assert response.status_code == 400
    assert "no contact has an email address" in response.text
    assert mail.outbox == []


def test_the_question_reaches_each_contact_over_smtp_with_the_members_reply_to(
    member_client, case_study, smtp_server, member
):
    response = ask(member_client)

    assert response.status_code == 200
    assert "emailed your question" in response.text
    assert "hana@leeds.example" not in response.text  # never shown to the member
    received = sorted(smtp_server.messages, key=lambda m: m["To"])
    assert [m.envelope_to for m in received] == [["hana@leeds.example"], ["omar@leeds.example"]]
    for message in received:  # one email each: no contact sees another's address
        assert message["Reply-To"] == "ann@oldham.gov.uk"
        assert "Leeds community energy" in message["Subject"]
        body = message.get_content()
        assert QUESTION in body  # plain text, as written
        assert "Ann Lee (ann@oldham.gov.uk)" in body
        assert "http://testserver/case-studies/leeds-energy/" in body
    logged = ContactMessage.objects.order_by("contact__name")
    assert [(m.sender, m.contact.name, m.case_study.slug) for m in logged] == [
        (member, "Hidden Hana", "leeds-energy"),
        (member, "Open Omar", "leeds-energy"),
    ]
    field_names = {field.name for field in ContactMessage._meta.get_fields()}
    assert not {"message", "text", "body"} & field_names  # the text is not kept


def test_the_same_form_sent_twice_sends_nothing_twice(member_client, case_study):
    submission = uuid.uuid4()
    assert ask(member_client, submission=submission).status_code == 200

    again = ask(member_client, submission=submission)

    assert again.status_code == 409
    assert "already been sent" in again.text
    assert len(mail.outbox) == 2
    assert ContactMessage.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"message": "x" * (MAX_MESSAGE_CHARS + 1)}, "at most"),
        ({"message": "   "}, "This field is required."),
        ({"message": "Hello", "submission": "not-a-uuid"}, "Enter a valid UUID."),
        ({"message": "Hello", "contact": "999"}, None),  # a forged contact id is ignored
    ],
    ids=["too long", "empty", "forged form id", "forged contact"],
)
def test_bad_input_gets_a_clear_answer_and_sends_nothing(member_client, case_study, data, error):
    data.setdefault("submission", str(uuid.uuid4()))
    response = member_client.post(ASK, data)

    if error is None:
        assert response.status_code == 200
        assert len(mail.outbox) == 2  # to the case study's own contacts only
        return
    assert response.status_code == 400
    assert error in response.text
    assert mail.outbox == []
    assert not ContactMessage.objects.exists()


def test_a_huge_post_is_refused_with_a_400(member_client, case_study):
    response = member_client.post(ASK, {"message": "x" * 3_000_000, "submission": uuid.uuid4()})

    assert response.status_code == 400
    assert mail.outbox == []


def test_a_member_may_send_only_so_many_questions_a_day(member_client, case_study, settings):
    settings.ASK_MESSAGES_PER_MEMBER = 2
    assert ask(member_client).status_code == 200
    assert ask(member_client).status_code == 200

    third = ask(member_client)

    assert third.status_code == 429
    assert "try again tomorrow" in third.text
    assert len(mail.outbox) == 4


def test_a_contact_receives_only_so_many_questions_a_day(case_study, settings):
    settings.ASK_MESSAGES_PER_CONTACT = 2
    for number in range(3):
        client = Client()
        client.force_login(UserFactory(username=f"m{number}", email=f"m{number}@x.example"))
        response = ask(client)
    assert response.status_code == 429
    assert len(mail.outbox) == 4  # two questions, to two contacts each


def test_visitors_and_bad_addresses_send_nothing(client, case_study, member):
    response = ask(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

    client.force_login(member)
    assert client.get(ASK).status_code == 405
    assert ask(client, url="/members/ask/case-study/no-such-case-study/").status_code == 404
    CaseStudyFactory(slug="draft", draft=True, contacts=[ContactFactory(email="d@x.example")])
    assert ask(client, url="/members/ask/case-study/draft/").status_code == 404
    assert mail.outbox == []


def test_the_form_needs_its_csrf_token(case_study, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert ask(client).status_code == 403
    assert mail.outbox == []


def test_an_organisations_page_asks_its_people_on_published_work(member_client, case_study):
    OrganisationFactory(name="Quiet Council", slug="quiet", membership="full")
    page = member_client.get("/organisations/leeds/").text
    assert "Ask about this work" in page
    assert "Open Omar" in page

    response = ask(member_client, url="/members/ask/organisation/leeds/")

    assert response.status_code == 200
    assert sorted(m.to[0] for m in mail.outbox) == ["hana@leeds.example", "omar@leeds.example"]
    assert ContactMessage.objects.filter(organisation__slug="leeds").count() == 2
    assert "Ask about this work" not in member_client.get("/organisations/quiet/").text


def test_publishers_read_the_log_in_the_admin_and_cannot_change_it(
    member_client, case_study, publisher
):
    ask(member_client)
    publisher_client = Client()
    publisher_client.force_login(publisher)

    listing = publisher_client.get("/admin/casestudies/contactmessage/")
    assert listing.status_code == 200
    assert "ann@oldham.gov.uk" in listing.text
    assert QUESTION not in listing.text
    entry = ContactMessage.objects.first()
    publisher_client.post(f"/admin/casestudies/contactmessage/{entry.pk}/delete/", {"post": "yes"})
    assert ContactMessage.objects.count() == 2
