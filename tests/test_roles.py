"""Member editors and publishers in the admin: what each may see and do, both ways.

Refusals are tested through the buttons' URLs and through crafted URLs and POSTs.
"""

import pytest
from django.contrib.auth.models import Group

from casestudies.models import CaseStudy, CaseStudyOrganisation, StatusChange
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    OrganisationFactory,
    UserFactory,
    casestudy_admin_data,
    ready_links,
)

CHANGELIST = "/admin/casestudies/casestudy/"
ADD = "/admin/casestudies/casestudy/add/"


def change_url(case_study):
    return f"/admin/casestudies/casestudy/{case_study.pk}/change/"


@pytest.fixture
def own_draft(own_organisation):
    return CaseStudyFactory(
        title="Oldham draft", slug="oldham-draft", draft=True, councils=[own_organisation]
    )


@pytest.fixture
def own_published(own_organisation):
    return CaseStudyFactory(
        title="Oldham published", slug="oldham-published", councils=[own_organisation]
    )


@pytest.fixture
def other_draft(other_organisation):
    return CaseStudyFactory(
        title="Rochdale secret draft",
        slug="rochdale-draft",
        draft=True,
        councils=[other_organisation],
    )


@pytest.mark.django_db
def test_a_migration_creates_both_groups_with_their_permissions():
    editors = Group.objects.get(name="Member editors")
    publishers = Group.objects.get(name="Publishers")
    editor_perms = set(editors.permissions.values_list("codename", flat=True))
    publisher_perms = set(publishers.permissions.values_list("codename", flat=True))
    assert {"add_casestudy", "change_casestudy", "view_principle"} <= editor_perms
    assert "publish_casestudy" not in editor_perms
    assert "change_principle" not in editor_perms
    assert "change_organisation" not in editor_perms
    assert {"publish_casestudy", "change_principle", "change_organisation"} <= publisher_perms


class TestMemberEditorSees:
    @pytest.mark.django_db
    def test_only_their_own_organisations_case_studies(
        self, editor_client, own_draft, own_published, other_draft
    ):
        response = editor_client.get(CHANGELIST)
        assert response.status_code == 200
        assert "Oldham draft" in response.text
        assert "Oldham published" in response.text
        assert "Rochdale secret draft" not in response.text

    @pytest.mark.django_db
    def test_a_case_study_where_their_organisation_delivered_the_work(
        self, editor_client, own_organisation, other_organisation
    ):
        shared = CaseStudyFactory(
            title="Delivered for Rochdale",
            draft=True,
            councils=[other_organisation],
            delivered_by=[own_organisation],
        )
        assert editor_client.get(change_url(shared)).status_code == 200

    @pytest.mark.django_db
    def test_nothing_of_another_organisation_by_crafted_url(self, editor_client, other_draft):
        response = editor_client.get(change_url(other_draft))
        # The admin answers "does not exist" and goes back to the index.
        assert response.status_code == 302
        assert "Rochdale" not in editor_client.get(response["Location"]).text
        for url in (
            f"/admin/casestudies/casestudy/{other_draft.pk}/history/",
            f"/admin/casestudies/casestudy/{other_draft.pk}/delete/",
        ):
            assert editor_client.get(url).status_code in {302, 403, 404}
        version = other_draft.history.first()
        url = f"/admin/casestudies/casestudy/{other_draft.pk}/history/{version.history_id}/"
        assert editor_client.get(url).status_code == 404  # not even told that it exists

    @pytest.mark.django_db
    def test_no_review_queue_or_status_log(self, editor_client):
        assert editor_client.get("/admin/casestudies/casestudyawaitingreview/").status_code == 403
        assert editor_client.get("/admin/casestudies/statuschange/").status_code == 403

    @pytest.mark.django_db
    def test_a_staff_user_with_no_organisation_sees_no_case_study(self, client, own_draft):
        user = UserFactory(username="loose", groups=["Member editors"])
        client.force_login(user)
        assert client.get(CHANGELIST).status_code == 403
        assert client.get(ADD).status_code == 403


class TestMemberEditorDrafts:
    @pytest.mark.django_db
    def test_a_new_case_study_is_a_draft_of_their_organisation(
        self, editor_client, member_editor, own_organisation, principles
    ):
        response = editor_client.post(
            ADD,
            casestudy_admin_data(
                title="Oldham food hub", slug="oldham-food-hub", principles=[principles[0].pk]
            ),
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        case_study = CaseStudy.objects.get(slug="oldham-food-hub")
        assert case_study.status == CaseStudy.Status.DRAFT
        assert case_study.created_by == member_editor
        assert [o.name for o in case_study.councils] == ["Oldham Council"]

    @pytest.mark.django_db
    def test_they_submit_a_draft_for_review(self, editor_client, member_editor, own_draft):
        response = editor_client.post(
            change_url(own_draft), casestudy_admin_data(own_draft, workflow="submit")
        )
        assert response.status_code == 302
        own_draft.refresh_from_db()
        assert own_draft.status == CaseStudy.Status.IN_REVIEW
        change = own_draft.status_changes.first()
        assert (change.from_status, change.to_status, change.changed_by) == (
            "draft",
            "in_review",
            member_editor,
        )

    @pytest.mark.django_db
    def test_removing_their_own_organisation_does_not_lock_them_out(
        self, editor_client, own_draft, other_organisation
    ):
        data = casestudy_admin_data(
            own_draft, roles=[*own_draft.roles.all(), (other_organisation, "delivery")]
        )
        data["roles-0-DELETE"] = "on"
        assert editor_client.post(change_url(own_draft), data).status_code == 302
        organisations = {r.organisation.name for r in own_draft.roles.all()}
        assert organisations == {"Oldham Council", "Rochdale Council"}

    @pytest.mark.django_db
    def test_the_only_workflow_button_is_submit_for_review(self, editor_client, own_draft):
        page = editor_client.get(change_url(own_draft))
        form = page.context["adminform"].form
        assert "status" not in form.fields
        assert "published_at" not in form.fields
        assert [step.name for step in page.context["workflow_steps"]] == ["submit"]
        assert 'value="submit"' in page.text
        assert 'value="publish"' not in page.text

    @pytest.mark.django_db
    def test_they_delete_their_own_draft(self, editor_client, own_draft):
        response = editor_client.post(
            f"/admin/casestudies/casestudy/{own_draft.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 302
        assert not CaseStudy.objects.filter(pk=own_draft.pk).exists()

    @pytest.mark.django_db
    def test_they_edit_their_organisations_contacts_only(
        self, editor_client, own_organisation, other_organisation
    ):
        own = ContactFactory(organisation=own_organisation)
        other = ContactFactory(organisation=other_organisation)
        data = {
            "name": "Renamed",
            "role": "Officer",
            "organisation": own_organisation.pk,
            "email_visibility": "nobody",
            "phone_visibility": "nobody",
        }
        assert (
            editor_client.post(f"/admin/casestudies/contact/{own.pk}/change/", data).status_code
            == 302
        )
        response = editor_client.post(
            f"/admin/casestudies/contact/{other.pk}/change/",
            {**data, "organisation": other_organisation.pk},
        )
        assert response.status_code in {302, 403}
        other.refresh_from_db()
        assert other.name != "Renamed"


class TestMemberEditorIsRefused:
    @pytest.mark.django_db
    @pytest.mark.parametrize("step", ["publish", "schedule", "send_back", "no-such-step"])
    def test_publishing_by_posting_a_publishers_button(self, editor_client, own_draft, step):
        data = casestudy_admin_data(
            own_draft, workflow=step, title="Changed", status="published", **ready_links(own_draft)
        )
        response = editor_client.post(change_url(own_draft), data)
        assert response.status_code == 403
        own_draft.refresh_from_db()
        assert own_draft.title == "Oldham draft"
        assert own_draft.status == CaseStudy.Status.DRAFT
        assert not CaseStudy.objects.published().filter(pk=own_draft.pk).exists()

    @pytest.mark.django_db
    def test_publishing_a_new_case_study_by_posting_the_status(self, editor_client):
        response = editor_client.post(
            ADD, casestudy_admin_data(slug="sneaky", workflow="publish", status="published")
        )
        assert response.status_code == 403
        assert not CaseStudy.objects.filter(slug="sneaky").exists()

    @pytest.mark.django_db
    def test_scheduling_by_posting_a_publication_date(self, editor_client, own_draft):
        import datetime as dt

        from django.utils import timezone

        when = timezone.now() + dt.timedelta(days=3)
        editor_client.post(
            change_url(own_draft), casestudy_admin_data(own_draft, published_at=when)
        )
        own_draft.refresh_from_db()
        assert own_draft.published_at is None

    @pytest.mark.django_db
    @pytest.mark.parametrize("action", ["publish", "unpublish", "delete_selected"])
    def test_bulk_actions_that_publish_unpublish_or_delete(
        self, editor_client, own_draft, own_published, action
    ):
        response = editor_client.post(
            CHANGELIST,
            {"action": action, "_selected_action": [own_draft.pk, own_published.pk], "post": "yes"},
        )
        assert response.status_code in {200, 302}
        own_draft.refresh_from_db()
        own_published.refresh_from_db()
        assert own_draft.status == CaseStudy.Status.DRAFT
        assert own_published.status == CaseStudy.Status.PUBLISHED

    @pytest.mark.django_db
    def test_changing_or_deleting_published_work(self, editor_client, own_published):
        response = editor_client.post(
            change_url(own_published),
            casestudy_admin_data(own_published, title="Rewritten", workflow="send_back"),
        )
        assert response.status_code == 403
        response = editor_client.post(
            f"/admin/casestudies/casestudy/{own_published.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 403
        own_published.refresh_from_db()
        assert (own_published.title, own_published.status) == ("Oldham published", "published")

    @pytest.mark.django_db
    def test_posting_to_another_organisations_case_study(self, editor_client, other_draft):
        response = editor_client.post(
            change_url(other_draft), casestudy_admin_data(other_draft, title="Hijacked")
        )
        assert response.status_code == 302  # "does not exist"
        other_draft.refresh_from_db()
        assert other_draft.title == "Rochdale secret draft"
        response = editor_client.post(
            CHANGELIST,
            {"action": "submit_for_review", "_selected_action": [other_draft.pk]},
        )
        other_draft.refresh_from_db()
        assert other_draft.status == CaseStudy.Status.DRAFT
        response = editor_client.post(
            f"/admin/casestudies/casestudy/{other_draft.pk}/delete/", {"post": "yes"}
        )
        assert CaseStudy.objects.filter(pk=other_draft.pk).exists()

    @pytest.mark.django_db
    def test_reverting_another_organisations_case_study(self, editor_client, other_draft):
        version = other_draft.history.first()
        response = editor_client.post(
            f"/admin/casestudies/casestudy/{other_draft.pk}/history/{version.history_id}/",
            casestudy_admin_data(other_draft, title="Hijacked"),
        )
        assert response.status_code == 404
        other_draft.refresh_from_db()
        assert other_draft.title == "Rochdale secret draft"

    @pytest.mark.django_db
    @pytest.mark.parametrize(
        "url",
        [
            "/admin/principles/principle/{principle}/change/",
            "/admin/casestudies/organisation/{organisation}/change/",
        ],
    )
    def test_changing_principles_and_organisations(
        self, editor_client, principles, other_organisation, url
    ):
        url = url.format(principle=principles[0].pk, organisation=other_organisation.pk)
        response = editor_client.post(url, {"title": "Changed", "name": "Changed"})
        assert response.status_code == 403
        assert principles[0].__class__.objects.filter(title="Changed").count() == 0
        other_organisation.refresh_from_db()
        assert other_organisation.name == "Rochdale Council"

    @pytest.mark.django_db
    def test_seeing_other_organisations_contacts(self, editor_client, other_organisation):
        ContactFactory(name="Private Person", organisation=other_organisation)
        assert "Private Person" not in editor_client.get("/admin/casestudies/contact/").text


class TestPublisher:
    @pytest.mark.django_db
    def test_sees_every_case_study(self, publisher_client, own_draft, other_draft):
        response = publisher_client.get(CHANGELIST)
        assert "Oldham draft" in response.text
        assert "Rochdale secret draft" in response.text

    @pytest.mark.django_db
    def test_publishes_from_the_form(self, publisher_client, publisher, other_draft, client):
        response = publisher_client.post(
            change_url(other_draft),
            casestudy_admin_data(other_draft, workflow="publish", **ready_links(other_draft)),
        )
        assert response.status_code == 302
        other_draft.refresh_from_db()
        assert other_draft.status == CaseStudy.Status.PUBLISHED
        assert other_draft.published_at is not None
        change = StatusChange.objects.filter(case_study=other_draft).first()
        assert (change.to_status, change.changed_by) == ("published", publisher)

    @pytest.mark.django_db
    def test_changes_and_deletes_published_work(self, publisher_client, own_published):
        response = publisher_client.post(
            change_url(own_published), casestudy_admin_data(own_published, title="Retitled")
        )
        assert response.status_code == 302
        own_published.refresh_from_db()
        assert own_published.title == "Retitled"
        publisher_client.post(
            f"/admin/casestudies/casestudy/{own_published.pk}/delete/", {"post": "yes"}
        )
        assert not CaseStudy.objects.filter(pk=own_published.pk).exists()

    @pytest.mark.django_db
    def test_edits_organisations(self, publisher_client, other_organisation):
        response = publisher_client.post(
            f"/admin/casestudies/organisation/{other_organisation.pk}/change/",
            {
                "name": "Rochdale Borough Council",
                "slug": "rochdale-council",
                "kind": "council",
                "membership": "full",
                "website": "",
            },
        )
        assert response.status_code == 302
        other_organisation.refresh_from_db()
        assert other_organisation.name == "Rochdale Borough Council"

    @pytest.mark.django_db
    def test_links_a_user_to_an_organisation_as_member_editor(
        self, publisher_client, own_organisation
    ):
        user = UserFactory(username="new-editor", groups=["Member editors"])
        response = publisher_client.post(
            "/admin/casestudies/editormembership/add/",
            {"user": user.pk, "organisation": own_organisation.pk},
        )
        assert response.status_code == 302
        assert user.editor_membership.organisation == own_organisation


@pytest.mark.django_db
def test_an_editors_organisation_is_attached_as_delivery_when_it_is_not_a_council(client):
    partner = OrganisationFactory(name="Co-op Consulting", slug="coop-consulting", kind="partner")
    user = UserFactory(username="partner-editor", groups=["Member editors"])
    from casestudies.models import EditorMembership

    EditorMembership.objects.create(user=user, organisation=partner)
    client.force_login(user)
    response = client.post(ADD, casestudy_admin_data(slug="partner-work"))
    assert response.status_code == 302
    role = CaseStudy.objects.get(slug="partner-work").roles.get()
    assert (role.organisation, role.role) == (partner, CaseStudyOrganisation.Role.DELIVERY)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model_name,field_name,term,expected",
    [
        ("casestudyorganisation", "organisation", "Roch", ["Rochdale Council"]),
        ("casestudy", "contacts", "Person", ["Own Person (Oldham Council)"]),
    ],
)
def test_member_editors_pickers_offer_what_they_may_use(
    editor_client, own_organisation, other_organisation, model_name, field_name, term, expected
):
    ContactFactory(name="Own Person", organisation=own_organisation)
    ContactFactory(name="Other Person", organisation=other_organisation)
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "casestudies",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == expected


@pytest.mark.django_db
def test_superusers_make_a_user_a_member_editor_from_the_user_page(client, own_organisation):
    from django.contrib.auth.models import User

    admin_user = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin_user)
    user = UserFactory(username="to-be-editor")
    response = client.get(f"/admin/auth/user/{user.pk}/change/")
    assert response.status_code == 200
    assert "Member editor of" in response.text


@pytest.mark.django_db
def test_save_model_refuses_publishing_by_a_member_editor_whatever_the_form_allowed(
    rf, member_editor, own_draft
):
    """The last line of defence: even a form that let `published` through cannot save it."""
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied

    model_admin = admin.site._registry[CaseStudy]
    request = rf.post("/admin/casestudies/casestudy/")
    request.user = member_editor
    own_draft.status = CaseStudy.Status.PUBLISHED
    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, own_draft, form=None, change=True)
    own_draft.refresh_from_db()
    assert own_draft.status == CaseStudy.Status.DRAFT


@pytest.mark.django_db
def test_a_member_editor_reverts_their_own_draft(editor_client, own_draft):
    from tests.factories import casestudy_admin_data as data

    first = own_draft.history.first()
    editor_client.post(
        f"/admin/casestudies/casestudy/{own_draft.pk}/change/",
        data(own_draft, title="Changed title"),
    )
    url = f"/admin/casestudies/casestudy/{own_draft.pk}/history/{first.history_id}/"
    response = editor_client.post(url, data(first.instance))
    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.title == "Oldham draft"
