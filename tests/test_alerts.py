"""Email alerts for any list: subscribing (members at once, visitors by a confirmation link),
digests of what is newly published and matches, one-click unsubscribing, and bad links."""

import datetime as dt
import io
import re
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from casestudies.models import Alert, CaseStudy
from casestudies.notifications import alerts
from tests.factories import CaseStudyFactory, OrganisationFactory, UserFactory

LINK = re.compile(r"https?://[^\s>]+")


def links_in(message):
    return LINK.findall(message.body)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def subscribe(client, query, email="ann@council.example", frequency="daily"):
    return client.post(f"/alerts/new/?{query}", {"email": email, "frequency": frequency})


def confirm_link(message):
    return next(path_of(url) for url in links_in(message) if "/alerts/confirm/" in url)


def unsubscribe_link(message):
    return next(path_of(url) for url in links_in(message) if "/alerts/unsubscribe/" in url)


def confirmed_alert(client, query, **kwargs):
    subscribe(client, query, **kwargs)
    client.post(confirm_link(mail.outbox[-1]))
    mail.outbox.clear()
    return Alert.objects.get(query=query, email=kwargs.get("email", "ann@council.example"))


def publish(title, when=None, **kwargs):
    return CaseStudyFactory(
        title=title, published_at=when or timezone.now() - dt.timedelta(minutes=1), **kwargs
    )


def digest(frequency="daily", at=None):
    """Run the command as cron would, a moment after the case studies were published."""
    out = io.StringIO()
    if at is None:
        call_command("send_digests", "--frequency", frequency, stdout=out)
    else:
        alerts.send_digests(frequency, now=at)
    return out.getvalue()


@pytest.mark.django_db
def test_every_list_offers_an_alert_through_a_plain_link(client, principles):
    page = client.get("/case-studies/?principle=learning&year=2023&sort=title&page=1")
    assert 'href="/alerts/new/?principle=learning&amp;year=2023&amp;sort=title"' in page.text
    assert 'href="/alerts/new/"' in client.get("/case-studies/").text


@pytest.mark.django_db
def test_a_principles_page_and_an_organisations_page_offer_their_alert(client, principles):
    OrganisationFactory(name="Oldham Council", slug="oldham-council")  # a member: it has a page
    assert 'href="/alerts/new/?principle=learning"' in client.get("/principles/learning/").text
    page = client.get("/organisations/oldham-council/").text
    assert 'href="/alerts/new/?organisation=oldham-council"' in page
    assert (
        "Organisation: Oldham Council"
        in client.get("/alerts/new/?organisation=oldham-council").text
    )


@pytest.fixture
def page_cache(settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_the_list_stays_cached_and_the_alert_pages_never_are(client, principles, page_cache):
    publish("Learning", principles=[principles[2]])
    client.get("/case-studies/?principle=learning")
    second = client.get("/case-studies/?principle=learning")
    assert second["X-Page-Cache"] == "hit"
    assert "/alerts/new/?principle=learning" in second.text
    for _ in range(2):
        form = client.get("/alerts/new/?principle=learning")
        assert "X-Page-Cache" not in form
    member = UserFactory(username="mem2", email="mem2@council.example", is_staff=False)
    client.force_login(member)
    assert "mem2@council.example" in client.get("/alerts/new/?principle=learning").text
    client.logout()
    assert "mem2@council.example" not in client.get("/alerts/new/?principle=learning").text


@pytest.mark.django_db
def test_the_cached_list_carries_nothing_of_the_member_who_saw_it_first(client, principles):
    member = UserFactory(username="mem", email="mem@council.example", is_staff=False)
    client.force_login(member)
    as_member = client.get("/case-studies/?principle=learning")
    client.logout()
    as_visitor = client.get("/case-studies/?principle=learning")
    for page in (as_member, as_visitor):
        assert "mem@council.example" not in page.text
    assert "csrfmiddlewaretoken" not in as_visitor.text


@pytest.mark.django_db
def test_a_visitor_confirms_by_the_emailed_link_once(client, principles):
    form = client.get("/alerts/new/?principle=learning&sort=title")
    assert form.status_code == 200
    assert "Principle: Learning" in form.text
    assert form["Cache-Control"].count("no-cache") or "private" in form["Cache-Control"]

    response = subscribe(client, "principle=learning&sort=title")
    assert response.status_code == 200
    assert "Check your email" in response.text
    alert = Alert.objects.get()
    assert (alert.email, alert.query, alert.confirmed_at) == (
        "ann@council.example",
        "principle=learning",
        None,
    )
    [message] = mail.outbox
    assert message.to == ["ann@council.example"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Asking again at once sends no second email, and says the same.
    assert "Check your email" in subscribe(client, "principle=learning").text
    assert len(mail.outbox) == 1
    assert Alert.objects.count() == 1

    url = confirm_link(message)
    assert "Confirm the alert" in client.get(url).text
    assert Alert.objects.get().confirmed_at is None  # a link scanner's GET confirms nothing
    assert "Alert confirmed" in client.post(url).text
    assert Alert.objects.get().confirmed_at is not None
    replay = client.post(url)
    assert replay.status_code == 200
    assert "already confirmed" in replay.text
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_nothing_goes_to_an_unconfirmed_address_and_it_is_not_kept(client, principles):
    subscribe(client, "principle=learning")
    mail.outbox.clear()
    publish("Learning together", principles=[principles[2]])
    digest()
    assert mail.outbox == []
    assert Alert.objects.exists()
    digest(at=timezone.now() + dt.timedelta(days=alerts.CONFIRMATION_DAYS, minutes=1))
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_the_form_cannot_flood_an_inbox(client, principles):
    for year in range(2000, 2010):
        subscribe(client, f"year={year}", email="victim@council.example")
    assert len(mail.outbox) == alerts.CONFIRMATIONS_PER_ADDRESS_A_DAY


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("principle=no-such-principle", "Select a valid choice"),
        ("year=nineteen", "Enter a number"),
        ("theme=" + "x" * 3000, "too long"),
    ],
)
def test_invalid_filters_make_no_alert(client, principles, query, problem):
    for response in (client.get(f"/alerts/new/?{query}"), subscribe(client, query)):
        assert response.status_code == 400
        assert problem in response.text
    assert not Alert.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_bad_email_address_is_a_form_error(client, principles):
    response = subscribe(client, "principle=learning", email="not an address")
    assert response.status_code == 400
    assert "Enter a valid email address" in response.text
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_forged_cut_and_expired_links_get_a_clear_answer(client, principles, monkeypatch):
    for url in (
        "/alerts/confirm/forged/",
        "/alerts/unsubscribe/forged/",
        "/alerts/confirm/" + alerts.unsubscribe_token(_alert()) + "/",  # the wrong kind
    ):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            assert "does not work" in response.text
    # A confirmation link older than a week.
    subscribe(client, "principle=learning")
    url = confirm_link(mail.outbox[-1])
    later = time.time() + (alerts.CONFIRMATION_DAYS + 1) * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(url)
    assert response.status_code == 400
    assert "expired" in response.text
    assert Alert.objects.get(query="principle=learning").confirmed_at is None


def _alert():
    return Alert.objects.create(email="x@example.org", query="year=2020", description="x")


@pytest.mark.django_db
def test_a_digest_lists_only_what_is_newly_published_and_matches(client, principles):
    learning, innovation = principles[2], principles[1]
    before = publish("Published before the alert", principles=[learning])
    alert = confirmed_alert(client, "principle=learning")
    assert before.published_at < alert.confirmed_at

    publish("New and about learning", principles=[learning])
    publish("New but about innovation only", principles=[innovation])
    CaseStudyFactory(title="A learning draft", draft=True, principles=[learning])
    CaseStudyFactory(title="A learning case study in review", in_review=True, principles=[learning])
    CaseStudyFactory(title="Learning, scheduled", scheduled=True, principles=[learning])
    old_date = publish(
        "Published today with last year's date",
        when=timezone.now() - dt.timedelta(days=365),
        principles=[learning],
    )
    assert old_date.is_public

    output = digest()

    assert "1 sent" in output
    [message] = mail.outbox
    assert message.to == ["ann@council.example"]
    assert "New and about learning" in message.body
    assert "Published today with last year's date" in message.body
    for absent in ("before the alert", "innovation only", "draft", "in review", "scheduled"):
        assert absent not in message.body
    assert message.subject == "2 new case studies: Principle: Learning"
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Run again: nothing new, nothing sent; then the scheduled one comes out.
    mail.outbox.clear()
    assert "0 sent, 1 with nothing new" in digest()
    assert mail.outbox == []
    soon = timezone.now() + dt.timedelta(minutes=5)
    CaseStudy.objects.filter(title="Learning, scheduled").update(published_at=soon)
    digest(at=soon - dt.timedelta(minutes=1))
    assert mail.outbox == []  # not yet public
    digest(at=soon + dt.timedelta(minutes=1))
    [message] = mail.outbox
    assert message.subject == "1 new case study: Principle: Learning"
    assert "Learning, scheduled" in message.body


@pytest.mark.django_db
def test_unpublished_and_republished_work_is_not_new_again(client, principles):
    alert = confirmed_alert(client, "principle=learning")
    case_study = publish("Once", principles=[principles[2]])
    digest()
    assert len(mail.outbox) == 1
    case_study.status = CaseStudy.Status.DRAFT
    case_study.save()
    case_study.status = CaseStudy.Status.PUBLISHED
    case_study.save()
    mail.outbox.clear()
    digest()
    assert mail.outbox == []
    assert Alert.objects.get(pk=alert.pk).last_sent_at is not None


@pytest.mark.django_db
def test_words_organisation_theme_kind_and_year_filter_a_digest_like_the_list(client, principles):
    oldham = OrganisationFactory(name="Oldham Council", slug="oldham-council")
    publish("Seed", councils=[oldham], themes=["Housing"], year=2024)  # makes the theme public
    query = "q=allotments&organisation=oldham-council&theme=housing&kind=case_study&year=2024"
    confirmed_alert(client, query)
    common = {"councils": [oldham], "themes": ["Housing"], "year": 2024}
    publish("Allotments for all", **common)
    publish("Allotments, another year", **{**common, "year": 2023})
    publish("Parks for all", **common)
    publish("Allotments elsewhere", themes=["Housing"], year=2024)
    digest()
    [message] = mail.outbox
    assert "Allotments for all" in message.body
    for absent in ("another year", "Parks", "elsewhere"):
        assert absent not in message.body
    # The list shows the same.
    listed = client.get(f"/case-studies/?{query}").text
    assert "Allotments for all" in listed
    assert "Parks for all" not in listed


@pytest.mark.django_db
def test_weekly_alerts_wait_for_the_weekly_run(client, principles):
    confirmed_alert(client, "principle=learning", frequency="weekly")
    publish("Learning", principles=[principles[2]])
    digest("daily")
    assert mail.outbox == []
    digest("weekly")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_unsubscribing_takes_one_click_signed_out_without_a_csrf_token(client, principles):
    confirmed_alert(client, "principle=learning")
    publish("Learning", principles=[principles[2]])
    digest()
    url = unsubscribe_link(mail.outbox[0])
    assert mail.outbox[0].extra_headers["List-Unsubscribe"] == f"<https://localhost{url}>"

    page = client.get(url)  # a link scanner, or a person reading first
    assert page.status_code == 200
    assert Alert.objects.exists()
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Alert.objects.exists()
    again = mail_program.post(url)
    assert again.status_code == 200
    assert "cancelled" in again.text


@pytest.mark.django_db
def test_an_old_unsubscribe_link_never_reaches_a_later_alert(client, principles):
    old = _alert()
    token = alerts.unsubscribe_token(old)
    old.delete()
    later = Alert.objects.create(
        pk=old.pk, email="y@example.org", query="year=2021", description="y"
    )
    client.post(f"/alerts/unsubscribe/{token}/")
    assert Alert.objects.filter(pk=later.pk).exists()


@pytest.fixture
def member(db):
    return UserFactory(username="mem", email="mem@council.example", is_staff=False)


@pytest.mark.django_db
def test_a_member_saves_an_alert_at_once_and_manages_it(client, principles, member):
    client.force_login(member)
    form = client.get("/alerts/new/?theme=&principle=learning")
    assert "mem@council.example" in form.text
    assert 'name="email"' not in form.text
    response = client.post("/alerts/new/?principle=learning", {"frequency": "weekly"})
    assert "Alert saved" in response.text
    alert = Alert.objects.get()
    assert (alert.user, alert.email, alert.frequency) == (member, "", "weekly")
    assert alert.confirmed_at is not None
    assert mail.outbox == []  # no confirmation needed
    # Saving it again changes its frequency, not the number of alerts.
    client.post("/alerts/new/?principle=learning", {"frequency": "daily"})
    assert Alert.objects.get().frequency == "daily"

    listing = client.get("/alerts/")
    assert "Principle: Learning" in listing.text
    account = client.get("/members/account/")
    assert "Principle: Learning" in account.text
    assert f'action="/alerts/{alert.pk}/cancel/"' in account.text
    changed = client.post(
        f"/alerts/{alert.pk}/frequency/", {"frequency": "weekly", "next": "https://evil.example/"}
    )
    assert changed["Location"] == "/alerts/"  # never sent off the site
    assert Alert.objects.get().frequency == "weekly"
    publish("Learning", principles=[principles[2]])
    digest("weekly")
    [message] = mail.outbox
    assert message.to == ["mem@council.example"]
    assert "/alerts/" in message.body
    back = client.post(f"/alerts/{alert.pk}/cancel/", {"next": "/members/account/"}, follow=True)
    assert back.redirect_chain[-1][0] == "/members/account/"
    assert "Alert cancelled: Principle: Learning." in back.text
    assert not Alert.objects.exists()
    assert client.post("/alerts/999/cancel/", {"next": "https://evil.example/"}).status_code == 404


@pytest.mark.django_db
def test_a_member_cannot_touch_anothers_alert(client, principles, member):
    other = UserFactory(username="other", email="o@council.example", is_staff=False)
    alert = alerts.subscribe_member(other, "principle=learning", "daily")[0]
    client.force_login(member)
    assert client.post(f"/alerts/{alert.pk}/cancel/").status_code == 404
    assert client.post(f"/alerts/{alert.pk}/frequency/", {"frequency": "w"}).status_code == 404
    assert client.get(f"/alerts/{alert.pk}/cancel/").status_code == 405
    client.logout()
    assert client.get("/alerts/").status_code == 302  # to sign in
    assert Alert.objects.filter(pk=alert.pk, frequency="daily").exists()


@pytest.mark.django_db
def test_an_alert_whose_filters_went_invalid_sends_nothing(client, principles):
    alert = confirmed_alert(client, "principle=learning")
    Alert.objects.filter(pk=alert.pk).update(query="principle=gone")
    publish("Learning", principles=[principles[2]])
    assert "1 with filters no longer valid" in digest()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_command_needs_a_known_frequency():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_digests", "--frequency", "hourly")


@pytest.mark.django_db
def test_the_whole_path_through_a_real_smtp_server(client, principles, smtp_server):
    subscribe(client, "principle=learning")
    [confirmation] = smtp_server.messages
    assert confirmation.envelope_to == ["ann@council.example"]
    url = next(u for u in LINK.findall(confirmation.get_content()) if "/alerts/confirm/" in u)
    client.post(path_of(url))
    publish("Learning & sharing", principles=[principles[2]])

    digest()

    message = smtp_server.messages[-1]
    assert len(smtp_server.messages) == 2
    assert message.envelope_to == ["ann@council.example"]
    assert message["Subject"] == "1 new case study: Principle: Learning"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Learning & sharing" in message.get_content()  # plain text, not escaped
    url = message["List-Unsubscribe"].strip("<>")
    Client(enforce_csrf_checks=True).post(
        path_of(url), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_one_alert_failing_holds_up_no_other_and_is_tried_again(client, principles, monkeypatch):
    first = confirmed_alert(client, "principle=learning", email="a@council.example")
    confirmed_alert(client, "principle=learning", email="b@council.example")
    publish("Learning", principles=[principles[2]])
    real = alerts.new_for

    def broken_for_the_first(alert, since, until):
        if alert.pk == first.pk:
            raise RuntimeError("the database hiccuped")
        return real(alert, since, until)

    monkeypatch.setattr(alerts, "new_for", broken_for_the_first)
    assert "1 sent" in digest()
    assert [m.to for m in mail.outbox] == [["b@council.example"]]
    monkeypatch.setattr(alerts, "new_for", real)
    mail.outbox.clear()
    digest()
    assert [m.to for m in mail.outbox] == [["a@council.example"]]
