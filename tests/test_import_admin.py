"""Importing in the admin, and the publishers' decisions on statements no principle holds
(issue 13, points 3 and 4)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from casestudies.models import CaseStudy, Organisation, UnrecognisedStatement
from principles.models import Principle
from tests.factories import CaseStudyFactory
from tests.test_import_programmes import COUNCILLORS, LAB, PROTOTYPE

IMPORT_URL = "/admin/casestudies/casestudy/import/"
STATEMENTS_URL = "/admin/casestudies/unrecognisedstatement/"


def upload(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def preview(client, **data):
    return client.post(IMPORT_URL, {"preview": "1", **data})


def confirm_from(client, page):
    """Send back what the preview page's confirmation form holds, as the browser would."""
    form = page.context["kept"]
    return client.post(
        IMPORT_URL,
        {"confirm": "1", "source": [name for name, _ in form], "text": [text for _, text in form]},
    )


@pytest.mark.django_db
class TestImportPage:
    def test_the_case_study_list_offers_it(self, publisher_client):
        page = publisher_client.get("/admin/casestudies/casestudy/")
        assert f'href="{IMPORT_URL}"' in page.text

    def test_preview_then_confirm(self, publisher_client, principles):
        page = preview(
            publisher_client,
            files=[upload("food-networks-lab.txt", LAB), upload("broken.txt", "hello\n")],
        )
        assert page.status_code == 200
        text = page.text
        assert "What the import would do (nothing is saved yet)" in text
        assert "Would create" in text and "Neighbourhood Food Networks Policy Lab" in text
        assert "Community leadership and a new role for councillors" in text  # unrecognised
        assert "Preston City Council <strong>(new organisation)</strong>" in text
        assert "Amira Khan" in text
        assert "Not imported: not a write-up" in text
        assert not CaseStudy.objects.exists() and not Organisation.objects.exists()

        done = confirm_from(publisher_client, page)
        assert "Imported 1 write-up as a draft." in done.text
        lab = CaseStudy.objects.get(slug="food-networks-lab")
        assert lab.status == CaseStudy.Status.DRAFT
        assert lab.unrecognised_statements.count() == 1
        assert len(lab.participating_members) == 22

    def test_pasted_text_takes_its_address_from_its_title(self, publisher_client, principles):
        page = preview(publisher_client, text=PROTOTYPE)
        assert "Energy Co-op Starter Kit" in page.text
        confirm_from(publisher_client, page)
        kit = CaseStudy.objects.get(slug="energy-co-op-starter-kit")
        assert kit.kind == CaseStudy.Kind.PROTOTYPE
        assert kit.created_by.username == "publisher"

    def test_nothing_given_is_a_form_error(self, publisher_client):
        page = preview(publisher_client, text="   ")
        assert page.status_code == 200
        assert "Choose one or more .txt files, or paste a write-up." in page.text

    def test_too_many_files_at_once_is_a_form_error(self, publisher_client, principles):
        files = [upload(f"lab-{n}.txt", LAB) for n in range(21)]
        page = preview(publisher_client, files=files)
        assert "Import at most 20 write-ups at a time." in page.text
        assert not CaseStudy.objects.exists()

    def test_too_much_text_at_once_is_a_form_error(self, publisher_client, principles):
        big = LAB + "Another paragraph of the story, long enough to count.\n" * 6000
        files = [upload(f"lab-{n}.txt", big) for n in range(8)]
        page = preview(publisher_client, files=files)
        assert "Import at most 2 MB of text at a time." in page.text

    def test_a_binary_file_is_refused_with_the_reason(self, publisher_client, principles):
        page = preview(publisher_client, files=[upload("photo.txt", "\x00\x01")])
        assert "Not imported: it is not a text file" in page.text
        assert page.context["kept"] == []

    def test_a_confirmation_that_does_not_add_up_is_refused(self, publisher_client, principles):
        page = publisher_client.post(
            IMPORT_URL, {"confirm": "1", "source": ["a.txt", "b.txt"], "text": [LAB]}, follow=True
        )
        assert "The import could not be read: start again." in page.text
        assert not CaseStudy.objects.exists()

    def test_it_needs_a_csrf_token(self, publisher):
        client = Client(enforce_csrf_checks=True)
        client.force_login(publisher)
        assert client.post(IMPORT_URL, {"text": LAB}).status_code == 403

    def test_a_member_editors_import_is_a_draft_of_their_organisation(
        self, editor_client, own_organisation, principles
    ):
        page = preview(editor_client, files=[upload("starter-kit.txt", PROTOTYPE)])
        confirm_from(editor_client, page)
        kit = CaseStudy.objects.get(slug="starter-kit")
        assert kit.status == CaseStudy.Status.DRAFT
        assert own_organisation in [role.organisation for role in kit.roles.all()]
        assert CaseStudy.objects.visible_to(kit.created_by).filter(pk=kit.pk).exists()

    def test_a_member_editor_cannot_overwrite_another_organisations_draft(
        self, editor_client, other_organisation, principles
    ):
        theirs = CaseStudyFactory(
            slug="starter-kit", title="Rochdale's", draft=True, councils=[other_organisation]
        )
        page = preview(editor_client, files=[upload("starter-kit.txt", PROTOTYPE)])
        assert "is not your organisation&#x27;s" in page.text
        assert page.context["kept"] == []
        theirs.refresh_from_db()
        assert theirs.title == "Rochdale's"


@pytest.fixture
def two_citing(principles, publisher, tmp_path):
    """Two imported case studies citing the same statement the portal does not know."""
    from casestudies.content.importing import WriteUpImporter

    importer = WriteUpImporter()
    importer.import_text(LAB, source="lab-one.txt", slug="lab-one")
    importer.import_text(LAB.replace("Neighbourhood Food", "Street Food"), source="lab-two.txt")
    return CaseStudy.objects.order_by("pk")


@pytest.mark.django_db
class TestStatementDecisions:
    def test_the_list_groups_statements_by_wording_with_counts(self, publisher_client, two_citing):
        page = publisher_client.get(STATEMENTS_URL)
        assert page.status_code == 200
        (group,) = page.context["groups"]
        assert group["case_study_count"] == 2
        assert group["text"] == COUNCILLORS
        assert "Make a principle" in page.text and "Dismiss" in page.text

    def test_making_a_principle_links_every_case_study_citing_it(
        self, publisher_client, two_citing
    ):
        statement = UnrecognisedStatement.objects.first()
        form = publisher_client.get(f"{STATEMENTS_URL}{statement.pk}/adopt/")
        assert form.context["form"].initial["slug"] == (
            "community-leadership-and-a-new-role-for-councillors"
        )
        response = publisher_client.post(
            f"{STATEMENTS_URL}{statement.pk}/adopt/",
            {
                "title": "Community leadership",
                "slug": "community-leadership",
                "colour": "teal",
                "icon": "people",
            },
            follow=True,
        )
        assert "Made the principle “Community leadership” and linked the 2 case studies" in (
            response.text
        )
        principle = Principle.objects.get(slug="community-leadership")
        assert principle.statement == COUNCILLORS  # verbatim
        assert principle.position == max(p.position for p in Principle.objects.all())
        for case_study in two_citing:
            assert principle in case_study.principles.all()
            latest = case_study.history.first()
            assert (
                latest.history_change_reason == "Linked to the new principle Community leadership"
            )
            assert latest.history_user.username == "publisher"
            assert principle in [row.principle for row in latest.principles.all()]
        assert not UnrecognisedStatement.objects.exists()

    def test_a_taken_slug_is_a_form_error_and_changes_nothing(
        self, publisher_client, two_citing, principles
    ):
        statement = UnrecognisedStatement.objects.first()
        response = publisher_client.post(
            f"{STATEMENTS_URL}{statement.pk}/adopt/",
            {"title": "New", "slug": principles[0].slug, "colour": "teal", "icon": "people"},
        )
        assert response.status_code == 200
        assert "already exists" in response.text
        assert UnrecognisedStatement.objects.count() == 2
        assert Principle.objects.count() == len(principles)

    def test_dismissing_lets_the_case_studies_be_published(self, publisher_client, two_citing):
        first = two_citing[0]
        publisher_client.post(
            "/admin/casestudies/casestudy/",
            {"action": "publish", "_selected_action": [first.pk]},
        )
        first.refresh_from_db()
        assert first.status == CaseStudy.Status.DRAFT  # undecided: not published

        statement = UnrecognisedStatement.objects.first()
        page = publisher_client.get(f"{STATEMENTS_URL}{statement.pk}/dismiss/")
        assert "Dismiss for 2 case studies" in page.text
        publisher_client.post(f"{STATEMENTS_URL}{statement.pk}/dismiss/")
        assert UnrecognisedStatement.objects.undecided().count() == 0
        assert publisher_client.get(STATEMENTS_URL).context["groups"] == []

        publisher_client.post(
            "/admin/casestudies/casestudy/",
            {"action": "publish", "_selected_action": [first.pk]},
        )
        first.refresh_from_db()
        assert first.status == CaseStudy.Status.PUBLISHED

    def test_an_unknown_statement_is_a_404(self, publisher_client, two_citing):
        assert publisher_client.get(f"{STATEMENTS_URL}99999/adopt/").status_code == 404
        assert publisher_client.get(f"{STATEMENTS_URL}nonsense/dismiss/").status_code == 404

    def test_the_case_study_page_shows_its_statements_to_its_editor(
        self, client, member_editor, own_organisation, principles
    ):
        from casestudies.content.importing import WriteUpImporter

        WriteUpImporter(user=member_editor).import_text(LAB, source="lab.txt", slug="lab")
        client.force_login(member_editor)
        lab = CaseStudy.objects.get(slug="lab")
        page = client.get(f"/admin/casestudies/casestudy/{lab.pk}/change/")
        assert "Statements the import could not match" in page.text
        assert COUNCILLORS in page.text
        assert "Waiting for a publisher" in page.text
        # The list of every import's statements is the publishers'.
        assert client.get(STATEMENTS_URL).status_code == 403

    def test_a_case_study_without_statements_shows_no_such_section(
        self, publisher_client, principles
    ):
        case_study = CaseStudyFactory(draft=True)
        page = publisher_client.get(f"/admin/casestudies/casestudy/{case_study.pk}/change/")
        assert "could not match" not in page.text
