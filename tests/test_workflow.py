"""Draft, in review, published and back; scheduling; the status log; the review queue."""

import datetime as dt

import pytest
from django.utils import timezone

from casestudies.models import CaseStudy, StatusChange
from tests.factories import CaseStudyFactory, casestudy_admin_data, make_ready, ready_links

CHANGELIST = "/admin/casestudies/casestudy/"
QUEUE = "/admin/casestudies/casestudyawaitingreview/"


def change_url(case_study):
    return f"/admin/casestudies/casestudy/{case_study.pk}/change/"


def steps(case_study):
    return [
        (c.from_status, c.to_status, c.changed_by.username if c.changed_by else None)
        for c in case_study.status_changes.order_by("changed_at", "pk")
    ]


@pytest.mark.django_db
def test_a_case_study_goes_from_draft_to_review_to_published_and_back(
    client, member_editor, publisher, own_organisation
):
    client.force_login(member_editor)
    client.post(
        "/admin/casestudies/casestudy/add/",
        casestudy_admin_data(slug="the-work", **ready_links()),
    )
    case_study = CaseStudy.objects.get(slug="the-work")
    client.post(change_url(case_study), casestudy_admin_data(case_study, workflow="submit"))

    client.force_login(publisher)
    case_study.refresh_from_db()
    client.post(change_url(case_study), casestudy_admin_data(case_study, workflow="publish"))
    assert client.get("/case-studies/the-work/").status_code == 200
    client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [case_study.pk]})
    client.logout()
    assert client.get("/case-studies/the-work/").status_code == 404

    assert steps(case_study) == [
        ("", "draft", "oldham-editor"),
        ("draft", "in_review", "oldham-editor"),
        ("in_review", "published", "publisher"),
        ("published", "draft", "publisher"),
    ]


@pytest.mark.django_db
def test_a_future_publication_date_schedules(publisher_client, client):
    draft = CaseStudyFactory(draft=True, slug="later")
    when = timezone.now() + dt.timedelta(days=2)
    publisher_client.post(
        change_url(draft),
        casestudy_admin_data(draft, workflow="schedule", published_at=when, **ready_links(draft)),
    )
    draft.refresh_from_db()
    assert draft.is_scheduled
    assert client.get("/case-studies/later/").status_code == 404
    listing = publisher_client.get(CHANGELIST + "?workflow=scheduled").text
    assert "Scheduled for" in listing
    assert draft.title in listing
    change = draft.status_changes.first()
    assert change.scheduled
    assert change.publication_date == draft.published_at


@pytest.mark.django_db
def test_bulk_publish_and_unpublish_record_each_change(publisher_client, publisher):
    drafts = [make_ready(CaseStudyFactory(draft=True)) for _ in range(3)]
    ids = [d.pk for d in drafts]
    response = publisher_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": ids}, follow=True
    )
    assert "Published 3 case studies." in response.text
    assert CaseStudy.objects.published().count() == 3
    publisher_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": ids})
    assert CaseStudy.objects.published().count() == 0
    for draft in drafts:
        assert steps(draft)[-2:] == [
            ("draft", "published", "publisher"),
            ("published", "draft", "publisher"),
        ]


@pytest.mark.django_db
def test_bulk_publish_keeps_a_scheduled_date_and_skips_the_published(publisher_client):
    when = timezone.now() + dt.timedelta(days=5)
    scheduled_draft = make_ready(CaseStudyFactory(draft=True, published_at=when))
    live = CaseStudyFactory()
    response = publisher_client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [scheduled_draft.pk, live.pk]},
        follow=True,
    )
    assert "Published 1 case study." in response.text
    assert "1 case study was left as it was" in response.text
    scheduled_draft.refresh_from_db()
    assert scheduled_draft.published_at == when
    assert scheduled_draft.is_scheduled
    assert live.status_changes.count() == 1  # only its creation


@pytest.mark.django_db
def test_member_editors_submit_several_drafts_for_review_at_once(editor_client, own_organisation):
    drafts = [CaseStudyFactory(draft=True, councils=[own_organisation]) for _ in range(2)]
    editor_client.post(
        CHANGELIST,
        {"action": "submit_for_review", "_selected_action": [d.pk for d in drafts]},
    )
    assert all(CaseStudy.objects.get(pk=d.pk).status == CaseStudy.Status.IN_REVIEW for d in drafts)


@pytest.mark.django_db
def test_publishers_see_a_queue_of_case_studies_waiting_for_review(
    publisher_client, member_editor, own_organisation
):
    waiting = CaseStudyFactory(
        title="Please review me", in_review=True, councils=[own_organisation]
    )
    make_ready(waiting)
    CaseStudyFactory(title="Still a draft", draft=True)
    CaseStudyFactory(title="Already live")
    response = publisher_client.get(QUEUE)
    assert response.status_code == 200
    assert "Please review me" in response.text
    assert "Oldham Council" in response.text
    assert "Still a draft" not in response.text
    assert "Already live" not in response.text
    assert waiting.get_preview_url() in response.text
    assert publisher_client.get("/admin/").text.count("Review queue") == 1
    # Publishing from the queue empties it.
    publisher_client.post(QUEUE, {"action": "publish", "_selected_action": [waiting.pk]})
    assert "Please review me" not in publisher_client.get(QUEUE).text
    assert CaseStudy.objects.published().filter(pk=waiting.pk).exists()


@pytest.mark.django_db
def test_the_workflow_filter_finds_case_studies_waiting_for_review(publisher_client):
    CaseStudyFactory(title="Waiting one", in_review=True)
    CaseStudyFactory(title="Drafted one", draft=True)
    response = publisher_client.get(CHANGELIST + "?workflow=review")
    assert "Waiting one" in response.text
    assert "Drafted one" not in response.text


@pytest.mark.django_db
def test_the_status_history_shows_in_the_admin(publisher_client, publisher):
    case_study = CaseStudyFactory(draft=True, title="Logged work")
    publisher_client.post(
        change_url(case_study),
        casestudy_admin_data(case_study, workflow="publish", **ready_links(case_study)),
    )
    response = publisher_client.get(change_url(case_study))
    assert "Status history" in response.text
    inline = next(
        f for f in response.context["inline_admin_formsets"] if f.opts.model is StatusChange
    )
    shown = [(form.original.from_status, form.original.to_status) for form in inline]
    assert shown == [("draft", "published"), ("", "draft")]
    assert ">publisher<" in response.text or "publisher</" in response.text
    log = publisher_client.get("/admin/casestudies/statuschange/").text
    assert "Logged work" in log
    assert "publisher" in log
    assert StatusChange.objects.filter(case_study=case_study, to_status="published").exists()


@pytest.mark.django_db
def test_the_status_log_cannot_be_edited_in_the_admin(publisher_client):
    case_study = CaseStudyFactory()
    change = case_study.status_changes.get()
    response = publisher_client.post(
        f"/admin/casestudies/statuschange/{change.pk}/change/", {"to_status": "draft"}
    )
    assert response.status_code == 403
    assert publisher_client.get("/admin/casestudies/statuschange/add/").status_code == 403


@pytest.mark.django_db
def test_saving_without_a_status_change_adds_nothing_to_the_log(publisher_client):
    case_study = CaseStudyFactory(draft=True)
    publisher_client.post(change_url(case_study), casestudy_admin_data(case_study, title="New"))
    assert case_study.status_changes.count() == 1


# The workflow's buttons (casestudies/publishing/workflow.py). ---------------------------------


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_submit_for_review_says_so_and_the_publisher_sees_it_waiting(
    client, member_editor, publisher, own_organisation
):
    draft = CaseStudyFactory(title="Food hub", draft=True, councils=[own_organisation])
    client.force_login(member_editor)
    response = client.post(
        change_url(draft), casestudy_admin_data(draft, workflow="submit"), follow=True
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    assert messages_of(response) == [
        "“Food hub” was submitted for review. A publisher will look at it next."
    ]
    assert "Waiting for a publisher (1)" in response.text
    draft.refresh_from_db()
    assert draft.status == CaseStudy.Status.IN_REVIEW

    client.force_login(publisher)
    home = client.get("/admin/").text
    assert "Waiting for your review (1)" in home
    assert change_url(draft) in home


@pytest.mark.django_db
def test_a_new_case_study_is_submitted_in_the_same_press(editor_client, own_organisation):
    response = editor_client.post(
        "/admin/casestudies/casestudy/add/",
        casestudy_admin_data(slug="straight-in", workflow="submit"),
    )
    assert response.status_code == 302
    case_study = CaseStudy.objects.get(slug="straight-in")
    assert case_study.status == CaseStudy.Status.IN_REVIEW
    assert steps(case_study) == [
        ("", "draft", "oldham-editor"),
        ("draft", "in_review", "oldham-editor"),
    ]
    assert case_study.history.count() == 1  # one save, one version


@pytest.mark.django_db
def test_sending_back_needs_a_comment_which_the_editor_then_sees(
    client, member_editor, publisher, own_organisation
):
    waiting = make_ready(
        CaseStudyFactory(title="Food hub", in_review=True, councils=[own_organisation])
    )
    client.force_login(publisher)
    refused = client.post(change_url(waiting), casestudy_admin_data(waiting, workflow="send_back"))
    assert refused.status_code == 200
    assert "workflow_comment" in refused.context["adminform"].form.errors
    waiting.refresh_from_db()
    assert waiting.status == CaseStudy.Status.IN_REVIEW

    response = client.post(
        change_url(waiting),
        casestudy_admin_data(
            waiting, workflow="send_back", workflow_comment="Please add the <b>year</b>."
        ),
        follow=True,
    )
    assert messages_of(response) == [
        "“Food hub” was sent back to draft. Its editor will see your comment."
    ]
    waiting.refresh_from_db()
    assert waiting.status == CaseStudy.Status.DRAFT
    assert waiting.status_changes.first().comment == "Please add the <b>year</b>."

    client.force_login(member_editor)
    for page in (client.get("/admin/").text, client.get(change_url(waiting)).text):
        assert "Please add the &lt;b&gt;year&lt;/b&gt;." in page  # shown, escaped
        assert "Sent back to you" in page


@pytest.mark.django_db
def test_a_publisher_sees_what_is_missing_before_publishing_and_nothing_incomplete_goes_live(
    publisher_client, own_organisation
):
    waiting = CaseStudyFactory(title="Thin", in_review=True, year=None)
    page = publisher_client.get(change_url(waiting))
    assert page.context["missing_for_publication"] == [
        "at least one principle it meets",
        "the council the work was for (or the lead member), under Organisations",
        "the year of the work",
    ]
    assert "Before it can be published, it needs:" in page.text
    assert "the year of the work" in page.text

    response = publisher_client.post(
        change_url(waiting), casestudy_admin_data(waiting, workflow="publish"), follow=True
    )
    assert "it was not published: it still needs" in messages_of(response)[0]
    waiting.refresh_from_db()
    assert waiting.status == CaseStudy.Status.IN_REVIEW

    # Filling in what is missing and pressing Publish is one step.
    response = publisher_client.post(
        change_url(waiting),
        casestudy_admin_data(waiting, workflow="publish", year="2024", **ready_links(waiting)),
        follow=True,
    )
    assert messages_of(response) == ["“Thin” is published: it is on the public site now."]
    waiting.refresh_from_db()
    assert waiting.is_public
    ready_page = publisher_client.get(change_url(waiting)).text
    assert "Ready to publish" not in ready_page  # live: no publishing buttons left but one
    assert 'value="send_back"' in ready_page


@pytest.mark.django_db
def test_drafts_may_stay_incomplete(editor_client, own_organisation):
    response = editor_client.post(
        "/admin/casestudies/casestudy/add/", casestudy_admin_data(slug="half-done", year="")
    )
    assert response.status_code == 302
    assert CaseStudy.objects.get(slug="half-done").status == CaseStudy.Status.DRAFT


@pytest.mark.django_db
def test_schedule_needs_a_date_in_the_future(publisher_client):
    draft = make_ready(CaseStudyFactory(draft=True, title="Later"))
    response = publisher_client.post(
        change_url(draft), casestudy_admin_data(draft, workflow="schedule")
    )
    assert "published_at" in response.context["adminform"].form.errors
    past = timezone.now() - dt.timedelta(days=1)
    response = publisher_client.post(
        change_url(draft), casestudy_admin_data(draft, workflow="schedule", published_at=past)
    )
    assert "published_at" in response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.status == CaseStudy.Status.DRAFT
    when = timezone.now() + dt.timedelta(days=3)
    response = publisher_client.post(
        change_url(draft),
        casestudy_admin_data(draft, workflow="schedule", published_at=when),
        follow=True,
    )
    assert messages_of(response)[0].startswith("“Later” is scheduled: it will be published on")
    draft.refresh_from_db()
    assert draft.is_scheduled


@pytest.mark.django_db
def test_bulk_publish_skips_what_is_incomplete(publisher_client):
    ready = make_ready(CaseStudyFactory(draft=True))
    thin = CaseStudyFactory(draft=True)
    response = publisher_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [ready.pk, thin.pk]}, follow=True
    )
    assert "Published 1 case study." in response.text
    assert "1 case study was not published: it lacks what a public page needs." in response.text
    thin.refresh_from_db()
    assert thin.status == CaseStudy.Status.DRAFT


@pytest.mark.django_db
def test_the_status_is_no_longer_a_field(publisher_client):
    draft = CaseStudyFactory(draft=True)
    form = publisher_client.get(change_url(draft)).context["adminform"].form
    assert "status" not in form.fields
    publisher_client.post(change_url(draft), {**casestudy_admin_data(draft), "status": "published"})
    draft.refresh_from_db()
    assert draft.status == CaseStudy.Status.DRAFT
