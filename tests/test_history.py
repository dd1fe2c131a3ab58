"""Every change to a case study is kept; the admin compares versions and reverts to one."""

import pytest

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, ContactFactory, casestudy_admin_data, ready_links


def change_url(case_study):
    return f"/admin/casestudies/casestudy/{case_study.pk}/change/"


@pytest.fixture
def edited(publisher_client):
    """A draft created, then retitled and published by the publisher in the admin."""
    case_study = CaseStudyFactory(draft=True, title="First title", summary="First summary.")
    publisher_client.post(
        change_url(case_study),
        casestudy_admin_data(
            case_study, title="Second title", workflow="publish", **ready_links(case_study)
        ),
    )
    case_study.refresh_from_db()
    return case_study


@pytest.mark.django_db
def test_each_change_is_kept_with_who_made_it(edited, publisher):
    versions = list(edited.history.order_by("history_date"))
    assert [v.title for v in versions] == ["First title", "Second title"]
    assert [v.status for v in versions] == ["draft", "published"]
    assert versions[-1].history_user == publisher


@pytest.mark.django_db
def test_the_history_page_compares_each_version_with_the_one_before(publisher_client, edited):
    response = publisher_client.get(f"/admin/casestudies/casestudy/{edited.pk}/history/")
    assert response.status_code == 200
    assert "First title" in response.text
    assert "Second title" in response.text
    assert "publisher" in response.text


@pytest.mark.django_db
def test_a_publisher_reverts_to_an_earlier_version(publisher_client, publisher, edited, client):
    first = edited.history.order_by("history_date").first()
    url = f"/admin/casestudies/casestudy/{edited.pk}/history/{first.history_id}/"
    page = publisher_client.get(url)
    assert page.status_code == 200
    assert "Revert" in page.text
    response = publisher_client.post(url, casestudy_admin_data(first.instance))
    assert response.status_code == 302
    edited.refresh_from_db()
    assert (edited.title, edited.status) == ("First title", "draft")
    assert edited.history.count() == 3
    # The revert went through the workflow: unpublishing is recorded, and the page is gone.
    last = edited.status_changes.first()
    assert (last.from_status, last.to_status, last.changed_by) == ("published", "draft", publisher)
    assert client.get(edited.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_member_editor_cannot_revert_to_a_published_version(editor_client, own_organisation):
    case_study = CaseStudyFactory(
        title="Was published", councils=[own_organisation], status="published"
    )
    published_version = case_study.history.first()
    CaseStudy.objects.filter(pk=case_study.pk).update(status="draft", published_at=None)
    case_study.refresh_from_db()
    url = f"/admin/casestudies/casestudy/{case_study.pk}/history/{published_version.history_id}/"
    response = editor_client.post(url, casestudy_admin_data(published_version.instance))
    assert response.status_code == 403  # save_model refuses the published status
    case_study.refresh_from_db()
    assert case_study.status == "draft"


@pytest.mark.django_db
def test_organisation_and_contact_changes_are_kept_too(publisher_client):
    from tests.factories import ContactFactory

    contact = ContactFactory(name="Ann Example")
    organisation = contact.organisation
    publisher_client.post(
        f"/admin/casestudies/organisation/{organisation.pk}/change/",
        {
            "name": "Renamed Council",
            "slug": organisation.slug,
            "kind": organisation.kind,
            "membership": organisation.membership,
            "website": "",
        },
    )
    names = [v.name for v in organisation.history.order_by("history_date")]
    assert len(names) == 2
    assert names[-1] == "Renamed Council"
    response = publisher_client.get(f"/admin/casestudies/organisation/{organisation.pk}/history/")
    assert "Renamed Council" in response.text
    assert contact.history.count() == 1


@pytest.mark.django_db
def test_changes_to_principles_and_contacts_are_kept_and_reverted(publisher_client, principles):
    from tests.factories import ContactFactory

    first_contact, second_contact = ContactFactory(), ContactFactory()
    learning, innovation, walking = principles[2], principles[1], principles[6]
    case_study = CaseStudyFactory(draft=True, title="Linked")
    publisher_client.post(
        change_url(case_study),
        casestudy_admin_data(
            case_study,
            principles=[learning.pk, innovation.pk],
            contacts=[first_contact.pk],
        ),
    )
    publisher_client.post(
        change_url(case_study),
        casestudy_admin_data(case_study, principles=[walking.pk], contacts=[second_contact.pk]),
    )
    assert list(case_study.principles.all()) == [walking]

    # Every version remembers the principles and contacts it had.
    kept = [
        (
            {row.principle_id for row in version.principles.all()},
            {row.contact_id for row in version.contacts.all()},
        )
        for version in case_study.history.order_by("history_date", "history_id")
    ]
    assert ({learning.pk, innovation.pk}, {first_contact.pk}) in kept
    assert kept[-1] == ({walking.pk}, {second_contact.pk})

    # Reverting offers the version's own principles and contacts, and restores them.
    version = next(
        v
        for v in case_study.history.order_by("-history_date", "-history_id")
        if {row.principle_id for row in v.principles.all()} == {learning.pk, innovation.pk}
    )
    url = f"/admin/casestudies/casestudy/{case_study.pk}/history/{version.history_id}/"
    form = publisher_client.get(url).context["adminform"].form
    assert set(form.initial["principles"]) == {learning.pk, innovation.pk}
    assert form.initial["contacts"] == [first_contact.pk]
    publisher_client.post(
        url,
        casestudy_admin_data(
            version.instance, principles=form.initial["principles"], contacts=[first_contact.pk]
        ),
    )
    assert set(case_study.principles.all()) == {learning, innovation}
    assert list(case_study.contacts.all()) == [first_contact]


@pytest.mark.django_db
def test_one_save_in_the_admin_is_one_version(publisher_client, principles):
    from tests.factories import OrganisationFactory

    council = OrganisationFactory(name="Bury Council")
    case_study = CaseStudyFactory(draft=True, title="One change")
    before = case_study.history.count()
    publisher_client.post(
        change_url(case_study),
        casestudy_admin_data(
            case_study,
            title="One change, retitled",
            principles=[principles[0].pk, principles[1].pk],
            themes="Food, Housing",
            roles=[(council, "council")],
        ),
    )
    assert case_study.history.count() == before + 1
    latest = case_study.history.first()
    assert latest.title == "One change, retitled"
    assert {row.principle_id for row in latest.principles.all()} == {
        principles[0].pk,
        principles[1].pk,
    }
    assert latest.theme_names == ["Food", "Housing"]
    assert latest.organisation_roles == [[council.pk, "council"]]
    assert latest.history_user.username == "publisher"


@pytest.mark.django_db
def test_changes_to_themes_and_roles_are_kept_and_reverted(publisher_client):
    from tests.factories import OrganisationFactory

    bury, wigan = OrganisationFactory(name="Bury Council"), OrganisationFactory(name="Wigan")
    partner = OrganisationFactory(name="Helpful Partner", kind="partner")
    case_study = CaseStudyFactory(draft=True, title="Roles")
    publisher_client.post(
        change_url(case_study),
        casestudy_admin_data(case_study, themes="Food, Housing", roles=[(bury, "council")]),
    )
    first = case_study.history.first()
    data = casestudy_admin_data(case_study, themes="Energy")
    data.update({"roles-0-organisation": wigan.pk, "roles-TOTAL_FORMS": "2"})
    data.update({"roles-1-organisation": partner.pk, "roles-1-role": "delivery"})
    publisher_client.post(change_url(case_study), data)
    assert {(r.organisation, r.role) for r in case_study.roles.all()} == {
        (wigan, "council"),
        (partner, "delivery"),
    }
    assert case_study.history.first().theme_names == ["Energy"]

    # The revert page offers the version's themes and says which roles it restores.
    url = f"/admin/casestudies/casestudy/{case_study.pk}/history/{first.history_id}/"
    page = publisher_client.get(url)
    assert 'value="Food, Housing"' in page.text
    assert "Bury Council (Council the work was for)" in page.text
    publisher_client.post(
        url,
        casestudy_admin_data(first.instance, themes="Food, Housing", principles=[], contacts=[])
        | {"roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0"},
    )
    assert sorted(t.name for t in case_study.themes.all()) == ["Food", "Housing"]
    assert [(r.organisation, r.role) for r in case_study.roles.all()] == [(bury, "council")]
    assert case_study.history.first().organisation_roles == [[bury.pk, "council"]]


@pytest.mark.django_db
def test_theme_and_role_changes_outside_the_admin_are_kept(principles):
    from casestudies.models import CaseStudyOrganisation
    from tests.factories import OrganisationFactory

    council = OrganisationFactory(name="Bury Council")
    case_study = CaseStudyFactory(title="Scripted")
    before = case_study.history.count()
    case_study.themes.add("Food")
    assert case_study.history.first().theme_names == ["Food"]
    role = CaseStudyOrganisation.objects.create(
        case_study=case_study, organisation=council, role="council"
    )
    assert case_study.history.first().organisation_roles == [[council.pk, "council"]]
    role.delete()
    assert case_study.history.first().organisation_roles == []
    assert case_study.history.count() == before + 3
    # Deleting the case study records its deletion, not the removal of each link on the way.
    CaseStudyOrganisation.objects.create(case_study=case_study, organisation=council)
    count = case_study.history.count()
    pk = case_study.pk
    case_study.delete()
    kept = CaseStudy.history.filter(id=pk)
    assert kept.count() == count + 1
    assert kept.first().history_type == "-"


@pytest.mark.django_db
def test_reverting_to_a_version_kept_before_links_were_recorded_leaves_them(publisher_client):
    from tests.factories import OrganisationFactory

    council = OrganisationFactory(name="Bury Council")
    case_study = CaseStudyFactory(draft=True, title="Old version", themes=["Food"])
    old = case_study.history.last()
    CaseStudy.history.filter(history_id=old.history_id).update(
        theme_names=None, organisation_roles=None
    )
    publisher_client.post(
        change_url(case_study),
        casestudy_admin_data(case_study, title="Newer", roles=[(council, "council")]),
    )
    url = f"/admin/casestudies/casestudy/{case_study.pk}/history/{old.history_id}/"
    page = publisher_client.get(url)
    assert "before organisation roles were recorded" in page.text
    publisher_client.post(url, casestudy_admin_data(case_study, title="Old version"))
    case_study.refresh_from_db()
    assert case_study.title == "Old version"
    assert [t.name for t in case_study.themes.all()] == ["Food"]
    assert [r.organisation for r in case_study.roles.all()] == [council]


@pytest.mark.django_db
def test_principles_and_contacts_changed_from_their_own_side_are_kept_as_versions(principles):
    """A shell or an import may add a case study to a principle (or a contact) rather than the
    other way round: each case study touched gets its version, listing what it then holds."""
    first, second, third = principles[:3]
    one = CaseStudyFactory(principles=[first])
    two = CaseStudyFactory(principles=[first])

    def principles_of(case_study):
        return {row.principle_id for row in case_study.history.first().principles.all()}

    versions = one.history.count(), two.history.count()
    second.case_studies.add(one, two)
    assert (one.history.count(), two.history.count()) == (versions[0] + 1, versions[1] + 1)
    assert principles_of(one) == principles_of(two) == {first.pk, second.pk}

    second.case_studies.remove(two)
    assert principles_of(two) == {first.pk}
    assert principles_of(one) == {first.pk, second.pk}

    third.case_studies.add(one)
    third.case_studies.clear()
    assert principles_of(one) == {first.pk, second.pk}
    assert one.history.count() == versions[0] + 3

    contact = ContactFactory()
    contact.case_studies.add(two)
    assert {row.contact_id for row in two.history.first().contacts.all()} == {contact.pk}
