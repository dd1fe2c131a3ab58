"""Email for the publishing workflow: publishers hear of each submission (once, not per save);
the member editors of a case study's organisations hear when it is published or sent back."""

import pytest
from django.core import mail
from django.db import transaction

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, EditorMembershipFactory, UserFactory


@pytest.fixture
def people(own_organisation, other_organisation):
    return {
        "publisher": UserFactory(
            username="pat", email="pat@network.example", groups=["Publishers"]
        ),
        "second_publisher": UserFactory(
            username="pam", email="pam@network.example", groups=["Publishers"]
        ),
        "editor": EditorMembershipFactory(
            user__username="ed", user__email="ed@oldham.example", organisation=own_organisation
        ).user,
        "colleague": EditorMembershipFactory(
            user__username="col", user__email="col@oldham.example", organisation=own_organisation
        ).user,
        "outsider": EditorMembershipFactory(
            user__username="out",
            user__email="out@rochdale.example",
            organisation=other_organisation,
        ).user,
        "member": UserFactory(username="mem", email="mem@oldham.example", is_staff=False),
    }


def change_status(case_study, status, by, **fields):
    case_study.status = status
    case_study.updated_by = by
    for name, value in fields.items():
        setattr(case_study, name, value)
    case_study.save()


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.mark.django_db
def test_publishers_hear_of_each_submission_once(
    people, own_organisation, django_capture_on_commit_callbacks
):
    draft = CaseStudyFactory(title="Oldham's allotments", draft=True, councils=[own_organisation])
    with django_capture_on_commit_callbacks(execute=True):
        change_status(draft, CaseStudy.Status.IN_REVIEW, people["editor"])
    assert recipients() == ["pam@network.example", "pat@network.example"]
    message = mail.outbox[0]
    assert message.subject == "For review: Oldham's allotments"
    assert f"/admin/casestudies/casestudy/{draft.pk}/change/" in message.body
    assert "ed submitted" in message.body

    # Saving it again while in review sends nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draft.summary = "Better words."
        draft.save()
        draft.save()
    assert mail.outbox == []


@pytest.mark.django_db
def test_editors_of_its_organisations_hear_when_it_is_published(
    people, own_organisation, django_capture_on_commit_callbacks
):
    submitted = CaseStudyFactory(title="Allotments", in_review=True, councils=[own_organisation])
    with django_capture_on_commit_callbacks(execute=True):
        change_status(submitted, CaseStudy.Status.PUBLISHED, people["publisher"], published_at=None)
    assert recipients() == ["col@oldham.example", "ed@oldham.example"]  # not Rochdale's
    message = mail.outbox[0]
    assert message.subject == "Published: Allotments"
    assert submitted.get_absolute_url() in message.body


@pytest.mark.django_db
def test_editors_hear_when_it_is_sent_back_to_draft_but_not_the_one_who_did_it(
    people, own_organisation, django_capture_on_commit_callbacks
):
    submitted = CaseStudyFactory(title="Allotments", in_review=True, councils=[own_organisation])
    with django_capture_on_commit_callbacks(execute=True):
        change_status(submitted, CaseStudy.Status.DRAFT, people["editor"])  # withdrawn
    assert recipients() == ["col@oldham.example"]
    message = mail.outbox[0]
    assert message.subject == "Back to draft: Allotments"
    assert "Comment" not in message.body  # none was given


@pytest.mark.django_db
def test_the_publishers_comment_on_sending_back_reaches_the_editors(
    people, own_organisation, django_capture_on_commit_callbacks
):
    submitted = CaseStudyFactory(title="Allotments", in_review=True, councils=[own_organisation])
    submitted._status_comment = "Please add the year & the council's name."
    with django_capture_on_commit_callbacks(execute=True):
        change_status(submitted, CaseStudy.Status.DRAFT, people["publisher"])
    assert recipients() == ["col@oldham.example", "ed@oldham.example"]
    assert "Comment:\nPlease add the year & the council's name." in mail.outbox[0].body


@pytest.mark.django_db
def test_a_scheduled_publication_says_when(
    people, own_organisation, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    submitted = CaseStudyFactory(title="Allotments", in_review=True, councils=[own_organisation])
    when = timezone.now() + dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        change_status(submitted, CaseStudy.Status.PUBLISHED, people["publisher"], published_at=when)
    message = mail.outbox[0]
    assert message.subject == "Scheduled: Allotments"
    assert "scheduled for publication" in message.body
    assert submitted.get_absolute_url() not in message.body  # not public yet


@pytest.mark.django_db
def test_a_change_rolled_back_sends_nothing(
    people, own_organisation, django_capture_on_commit_callbacks
):
    draft = CaseStudyFactory(draft=True, councils=[own_organisation])
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                change_status(draft, CaseStudy.Status.IN_REVIEW, people["editor"])
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_admins_bulk_submit_sends_one_email_per_case_study_per_publisher(
    client, people, own_organisation, django_capture_on_commit_callbacks
):
    drafts = [CaseStudyFactory(draft=True, councils=[own_organisation]) for _ in range(2)]
    client.force_login(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/casestudies/casestudy/",
            {"action": "submit_for_review", "_selected_action": [d.pk for d in drafts]},
        )
    assert CaseStudy.objects.filter(status="in_review").count() == 2
    assert len(mail.outbox) == 4
    assert {m.subject for m in mail.outbox} == {f"For review: {d.title}" for d in drafts}


@pytest.mark.django_db(transaction=True)
def test_a_submission_reaches_a_real_smtp_server(smtp_server, people, own_organisation):
    draft = CaseStudyFactory(title="Allotments & orchards", draft=True, councils=[own_organisation])
    change_status(draft, CaseStudy.Status.IN_REVIEW, people["editor"])  # commits: on_commit runs
    assert sorted(m.envelope_to[0] for m in smtp_server.messages) == [
        "pam@network.example",
        "pat@network.example",
    ]
    message = smtp_server.messages[0]
    assert message["Subject"] == "For review: Allotments & orchards"
    assert "Allotments & orchards" in message.get_content()
