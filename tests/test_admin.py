import re

import pytest
from django.contrib.auth.models import User

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, OrganisationFactory, make_ready


@pytest.fixture
def staff_client(client, db):
    user = User.objects.create_superuser("publisher", "publisher@example.org", "pw")
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get("/admin/casestudies/casestudy/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_non_staff_users_cannot_use_the_admin(client):
    client.force_login(User.objects.create_user("member", password="pw"))
    assert client.get("/admin/casestudies/casestudy/").status_code == 302


@pytest.mark.django_db
def test_staff_create_a_case_study_with_organisations_in_roles(staff_client, principles):
    council = OrganisationFactory(name="Oldham Council", slug="oldham")
    response = staff_client.post(
        "/admin/casestudies/casestudy/add/",
        {
            "title": "Oldham energy co-op",
            "slug": "oldham-energy-co-op",
            "summary": "Community-owned solar panels on council buildings.",
            "body": '<p>Good work</p><script>alert("x")</script>',
            "kind": "case_study",
            "year": "2019",
            "principles": [principles[0].pk, principles[3].pk],
            "themes": "Energy, Climate",
            "_workflow": "publish",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-organisation": council.pk,
            "roles-0-role": "council",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    case_study = CaseStudy.objects.get(slug="oldham-energy-co-op")
    assert case_study.body == "<p>Good work</p>"
    assert case_study.published_at is not None
    assert case_study.created_by == staff_client.user
    assert [o.name for o in case_study.councils] == ["Oldham Council"]
    assert sorted(t.name for t in case_study.themes.all()) == ["Climate", "Energy"]
    assert staff_client.get("/case-studies/oldham-energy-co-op/").status_code == 200


@pytest.mark.django_db
def test_bulk_publish_and_unpublish(staff_client, client):
    drafts = [make_ready(CaseStudyFactory(draft=True)) for _ in range(2)]
    ids = [d.pk for d in drafts]
    staff_client.post(
        "/admin/casestudies/casestudy/", {"action": "publish", "_selected_action": ids}
    )
    assert CaseStudy.objects.published().count() == 2
    staff_client.post(
        "/admin/casestudies/casestudy/", {"action": "unpublish", "_selected_action": ids}
    )
    assert CaseStudy.objects.published().count() == 0
    assert client.get(drafts[0].get_absolute_url()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status__exact=draft",
        "?q=Birmingham",
        "?principles__id__exact=1",
        "?themes__id__exact=1",
    ],
)
def test_changelist_filters_and_search_work(staff_client, demo, query):
    response = staff_client.get("/admin/casestudies/casestudy/" + query)
    assert response.status_code == 200


@pytest.mark.django_db
def test_principles_are_tick_boxes_in_the_networks_order(staff_client, demo):
    page = staff_client.get("/admin/casestudies/casestudy/add/")
    field = page.context["adminform"].form.fields["principles"]
    assert [label for _, label in field.choices][:3] == ["Co-production", "Innovation", "Learning"]
    assert 'type="checkbox" name="principles"' in page.text


@pytest.mark.django_db
def test_change_page_links_to_the_public_page(staff_client, demo):
    case_study = CaseStudy.objects.get(slug="community-covid-response")
    response = staff_client.get(f"/admin/casestudies/casestudy/{case_study.pk}/change/")
    assert "View on site" in response.text


@pytest.mark.django_db
def test_staff_add_and_reorder_principles(staff_client):
    response = staff_client.post(
        "/admin/principles/principle/add/",
        {
            "title": "Democratic engagement",
            "slug": "democratic-engagement",
            "statement": "We will engage.",
            "position": "5",
            "commitments-TOTAL_FORMS": "0",
            "commitments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert staff_client.get("/principles/").text.index("Democratic engagement") < (
        staff_client.get("/principles/").text.index("Co-production")
    )


@pytest.mark.django_db
def test_the_admin_is_branded_and_its_breadcrumbs_say_where_you_are(publisher_client):
    case_study = CaseStudyFactory(title="Leeds energy")
    home = publisher_client.get("/admin/").text
    assert "CoopNet case studies: staff" in home
    assert "/static/css/admin.css" in home
    page = publisher_client.get(f"/admin/casestudies/casestudy/{case_study.pk}/change/").text
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S)[1]
    assert re.sub(r"<[^>]+>|\s+", " ", crumbs).split() == [
        *(
            "Home",
            "&rsaquo;",
            "Content",
            "&rsaquo;",
            "Case",
            "studies",
            "&rsaquo;",
            "Leeds",
            "energy",
        )
    ]


@pytest.mark.django_db
def test_lockout_tables_are_out_of_publishers_way(publisher_client, publisher):
    from django.contrib.auth.models import Permission

    # Even given axes' model permissions, a publisher does not see them: superusers only.
    publisher.user_permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
    assert "Access attempts" not in publisher_client.get("/admin/").text
    assert publisher_client.get("/admin/axes/accessattempt/").status_code == 403
