"""`import_writeup` turns write-ups in the seed format into draft case studies."""

import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.models import (
    CaseStudy,
    Contact,
    Organisation,
    StatusChange,
    UnrecognisedStatement,
)

DEMO = Path(__file__).resolve().parent.parent / "casestudies" / "demo"
BIRMINGHAM = DEMO / "birmingham-health-and-wellbeing-consultation.txt"
HYNDBURN = DEMO / "hyndburn-community-covid-response.txt"

BODY = "The council opened a community hub.\nOver 40 organisations took part.\n"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_writeup", *map(str, args), stdout=out, stderr=err)
    return out.getvalue()


def write(tmp_path, text, name="write-up.txt", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def principles_of(slug):
    return [p.title for p in CaseStudy.objects.get(slug=slug).principles.all()]


ALL_SEVEN = [
    "Co-production",
    "Innovation",
    "Learning",
    "Maximising social value",
    "New models of meeting priority needs",
    "Social partnership",
    "Walking the talk",
]


class TestSeedTexts:
    @pytest.mark.django_db
    def test_birmingham_imports_to_all_seven_principles(self, principles):
        output = run(BIRMINGHAM)
        slug = "birmingham-health-and-wellbeing-consultation"
        assert principles_of(slug) == ALL_SEVEN
        for title in ALL_SEVEN:
            assert f"matched: {title}" in output
        assert "7 principle(s) matched, 0 statement(s) unrecognised." in output
        case_study = CaseStudy.objects.get(slug=slug)
        assert case_study.status == CaseStudy.Status.DRAFT
        # The first paragraph is the summary, and the body goes on from there: never twice.
        assert case_study.summary.startswith("Birmingham City Council and the city")
        assert case_study.body.startswith("<p>At Trueman Change, our key challenge")
        assert case_study.body.count("<p>") == 1
        contact = case_study.contacts.get()
        assert (contact.name, contact.role, contact.organisation.name) == (
            "Lucy Trueman",
            "Managing Director",
            "Trueman Change",
        )

    @pytest.mark.django_db
    def test_hyndburn_imports_to_six_principles_without_social_partnership(self, principles):
        output = run(HYNDBURN)
        found = principles_of("hyndburn-community-covid-response")
        assert found == [t for t in ALL_SEVEN if t != "Social partnership"]
        assert "contact: none (the block is missing or cut off)" in output
        summary = CaseStudy.objects.get(slug="hyndburn-community-covid-response").summary
        assert summary.startswith("Trueman Change supported Hyndburn Borough Council")
        assert len(summary) <= 300
        assert summary.endswith(".")  # whole sentences, not cut mid-word
        assert not CaseStudy.objects.get(slug="hyndburn-community-covid-response").contacts.exists()

    @pytest.mark.django_db
    def test_an_import_is_a_draft_that_nobody_can_see_yet(self, client, principles):
        run(HYNDBURN)
        assert CaseStudy.objects.published().count() == 0
        assert client.get("/case-studies/hyndburn-community-covid-response/").status_code == 404
        change = StatusChange.objects.get()
        assert (change.from_status, change.to_status) == ("", "draft")

    @pytest.mark.django_db
    def test_re_importing_updates_instead_of_duplicating(self, principles):
        run(BIRMINGHAM, HYNDBURN)
        output = run(BIRMINGHAM)
        assert "Updated draft" in output
        assert CaseStudy.objects.count() == 2
        assert Contact.objects.count() == 1
        assert Organisation.objects.filter(name="Trueman Change").count() == 1
        assert len(principles_of("birmingham-health-and-wellbeing-consultation")) == 7
        birmingham = CaseStudy.objects.get(slug="birmingham-health-and-wellbeing-consultation")
        latest = birmingham.history.first()  # each import kept as one version, contact included
        assert [v.history_type for v in birmingham.history.all()] == ["~", "+"]
        assert [row.contact.name for row in latest.contacts.all()] == ["Lucy Trueman"]

    @pytest.mark.django_db
    def test_the_slug_comes_from_the_option_or_the_file_name(self, principles, tmp_path):
        run(HYNDBURN, "--slug", "community-covid-response", "--title", "Hyndburn's response")
        case_study = CaseStudy.objects.get(slug="community-covid-response")
        assert case_study.title == "Hyndburn's response"
        copy = tmp_path / "Strategy Consult Birmingham CC.txt"
        shutil.copy(BIRMINGHAM, copy)
        run(copy)
        assert CaseStudy.objects.filter(slug="strategy-consult-birmingham-cc").exists()

    @pytest.mark.django_db
    def test_organisations_and_themes_can_be_given(self, principles):
        council = Organisation.objects.create(name="Hyndburn Borough Council", slug="hyndburn")
        run(HYNDBURN, "--council", "hyndburn", "--theme", "COVID-19", "--year", "2021")
        case_study = CaseStudy.objects.get(slug="hyndburn-community-covid-response")
        assert case_study.councils == [council]
        assert [t.name for t in case_study.themes.all()] == ["COVID-19"]
        assert case_study.year == 2021
        # The import is kept as one version, with everything it linked.
        (version,) = case_study.history.all()
        assert version.history_type == "+"
        assert version.theme_names == ["COVID-19"]
        assert version.organisation_roles == [[council.pk, "council"]]
        assert version.principles.count() == 6
        run(HYNDBURN, "--council", "hyndburn", "--theme", "COVID-19", "--year", "2021")
        assert [v.history_type for v in case_study.history.all()] == ["~", "+"]

    @pytest.mark.django_db
    def test_an_organisation_given_by_a_new_name_is_created_once(self, principles):
        output = run(HYNDBURN, "--council", "Hyndburn Borough Council")
        assert "council the work was for: Hyndburn Borough Council (new organisation)" in output
        assert re.search(r"organisations created +1$", output, re.M)
        council = Organisation.objects.get(name="Hyndburn Borough Council")
        assert council.kind == Organisation.Kind.COUNCIL
        run(HYNDBURN, "--council", "hyndburn council")  # the same council, named differently
        assert Organisation.objects.filter(name__icontains="hyndburn").count() == 1
        case_study = CaseStudy.objects.get(slug="hyndburn-community-covid-response")
        assert case_study.councils == [council]

    @pytest.mark.django_db
    def test_a_published_case_study_is_never_overwritten(self, principles):
        run(HYNDBURN)
        CaseStudy.objects.update(status="published", title="Live title")
        with pytest.raises(CommandError, match="is published; unpublish it first"):
            run(HYNDBURN)
        assert CaseStudy.objects.get().title == "Live title"


class TestVariations:
    @pytest.mark.django_db
    def test_straight_quotes_instead_of_curly_ones(self, principles, tmp_path):
        text = HYNDBURN.read_text(encoding="utf-8")
        text = text.replace("\u2018", "'").replace("\u2019", "'")
        run(write(tmp_path, text))
        assert len(principles_of("write-up")) == 6

    @pytest.mark.django_db
    def test_stray_white_space_and_windows_line_ends(self, principles, tmp_path):
        text = BIRMINGHAM.read_text(encoding="utf-8")
        text = "\n\n" + text.replace(" ", "  ").replace("\n", "  \t\r\n")
        path = tmp_path / "spaced.txt"
        path.write_bytes(text.encode("utf-8"))
        run(path)
        assert principles_of("spaced") == ALL_SEVEN

    @pytest.mark.django_db
    def test_windows_encoded_text(self, principles, tmp_path):
        text = HYNDBURN.read_text(encoding="utf-8").replace("\u2022", "*")
        run(write(tmp_path, text, encoding="cp1252"))
        assert len(principles_of("write-up")) == 6

    @pytest.mark.django_db
    def test_titles_alone_between_separators(self, principles, tmp_path):
        text = "Principles met\n-\nCo-production\n-\nInnovation\n" + BODY
        run(write(tmp_path, text))
        assert principles_of("write-up") == ["Co-production", "Innovation"]
        case_study = CaseStudy.objects.get(slug="write-up")
        assert case_study.summary == "The council opened a community hub."
        assert case_study.body == "<p>Over 40 organisations took part.</p>"

    @pytest.mark.django_db
    def test_titles_alone_one_to_a_line_with_trailing_text(self, principles, tmp_path):
        text = "Principles met:\nCo-production\nLearning (see the evaluation)\n\n" + BODY
        run(write(tmp_path, text))
        assert principles_of("write-up") == ["Co-production", "Learning"]

    @pytest.mark.django_db
    def test_titles_alone_as_bullets(self, principles, tmp_path):
        text = "Principles met\n\u2022 Co-production\n\u2022 Walking the talk.\n\n" + BODY
        run(write(tmp_path, text))
        assert principles_of("write-up") == ["Co-production", "Walking the talk"]

    @pytest.mark.django_db
    def test_statements_broken_over_lines_and_dash_bullets(self, principles, tmp_path):
        text = (
            "Principles met\n"
            "- We will embrace innovation in how we work with\n"
            "  local communities to drive positive change.\n"
            "- We will strengthen the co-operative partnership between citizens, communities,\n"
            "enterprises and Councils, based on a shared sense of responsibility.\n"
            "\n" + BODY
        )
        run(write(tmp_path, text))
        assert principles_of("write-up") == ["Innovation", "Social partnership"]
        assert CaseStudy.objects.get(slug="write-up").body.count("<p>") == 1

    @pytest.mark.django_db
    def test_a_title_and_statement_on_one_line(self, principles, tmp_path):
        text = (
            "Principles met\n\u2022 Learning: we will capture and expand the experience\n\n" + BODY
        )
        run(write(tmp_path, text))
        assert principles_of("write-up") == ["Learning"]

    @pytest.mark.django_db
    def test_unknown_entries_are_reported_not_dropped(self, principles, tmp_path):
        text = (
            "Principles met\n"
            "-\nDemocratic engagement\nWe will involve residents in every decision.\n"
            "-\nInnovation\nWe will embrace innovation in how we work with local communities "
            "to drive positive change.\n"
            "\u2022 We will paint the town hall purple.\n\n" + BODY
        )
        output = run(write(tmp_path, text))
        assert principles_of("write-up") == ["Innovation"]
        assert "UNRECOGNISED (kept for staff to decide): 'Democratic engagement'" in output
        assert "UNRECOGNISED (kept for staff to decide): 'We will paint the town" in output
        assert "1 principle(s) matched, 2 statement(s) unrecognised." in output
        kept = CaseStudy.objects.get(slug="write-up").unrecognised_statements.all()
        assert [(s.title, s.text) for s in kept] == [
            ("Democratic engagement", "We will involve residents in every decision."),
            ("", "We will paint the town hall purple."),
        ]

    @pytest.mark.django_db
    def test_a_cut_off_contact_block(self, principles, tmp_path):
        text = "Principles met\n\u2022 We will embrace innovation.\n\n" + BODY
        run(write(tmp_path, text + "For further information\nJane Doe\n"))
        contact = CaseStudy.objects.get(slug="write-up").contacts.get()
        assert (contact.name, contact.role, contact.organisation) == ("Jane Doe", "", None)

    @pytest.mark.django_db
    def test_a_contact_block_with_email_and_phone_keeps_them_private(self, principles, tmp_path):
        text = (
            "Principles met\n\u2022 We will embrace innovation.\n\n" + BODY + "For further "
            "information: Jane Doe\nPolicy Lead\nExample Council\nEmail: jane@example.org\n"
            "Tel: 01234 567 890\n"
        )
        run(write(tmp_path, text))
        contact = Contact.objects.get(name="Jane Doe")
        assert (contact.role, contact.organisation.name) == ("Policy Lead", "Example Council")
        assert (contact.email, contact.phone) == ("jane@example.org", "01234 567 890")
        assert contact.email_visibility == "nobody"
        assert contact.public_email == ""

    @pytest.mark.django_db
    def test_a_title_line_before_the_principles(self, principles, tmp_path):
        text = "Oldham's energy co-operative\n\nPrinciples met\n-\nInnovation\n" + BODY
        run(write(tmp_path, text))
        assert CaseStudy.objects.get(slug="write-up").title == "Oldham's energy co-operative"


class TestBadFiles:
    @pytest.mark.django_db
    @pytest.mark.parametrize(
        "content,message",
        [
            (b"", "the file is empty"),
            (b"  \n\n\t\n", "the file is empty"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "it is not a text file"),
            (
                b"Dear all,\nHere is a letter.\nIt has no principles.\nAt all.\nReally.\n",
                "not a write-up",
            ),
            (b"Principles met\n\xe2\x80\xa2 We will embrace innovation.\n", "no text after"),
        ],
        ids=["empty", "blank", "binary", "no-heading", "no-body"],
    )
    def test_a_file_that_is_not_a_write_up_is_a_clear_error(
        self, principles, tmp_path, content, message
    ):
        path = tmp_path / "bad.txt"
        path.write_bytes(content)
        with pytest.raises(CommandError, match=message):
            run(path)
        assert not CaseStudy.objects.exists()
        assert not Contact.objects.exists()

    @pytest.mark.django_db
    @pytest.mark.parametrize(
        "content,message",
        [
            (b"Principles met\n" + b"x" * (1024 * 1024), "too big to be a write-up"),
            (
                b"Principles met\n- We will embrace innovation.\n\n" + b"word " * 70_000,
                "it cannot be saved as it is \\(body: ",
            ),
            (
                b"Principles met\n"
                + b"".join(b"- Statement %d.\n" % n for n in range(3000))
                + b"\nThe text.\n",
                "it lists 3000 principle statements",
            ),
            (b"Principles met\n\x81\x8d\x8f\x90\x9d\n\nText.\n", "not text in UTF-8"),
        ],
        ids=["over-1-MB", "body-over-limit", "thousands-of-bullets", "invalid-utf-8"],
    )
    def test_more_bad_files_are_refused_with_the_reason(
        self, principles, tmp_path, content, message
    ):
        path = tmp_path / "bad.txt"
        path.write_bytes(content)
        with pytest.raises(CommandError, match=message):
            run(path)
        assert not CaseStudy.objects.exists()
        assert not UnrecognisedStatement.objects.exists()

    @pytest.mark.django_db
    def test_html_and_script_in_the_text_stay_text(self, principles, tmp_path, client):
        text = (
            "<script>alert('title')</script> Lab\nPrinciples met\n"
            "- We will <b>embrace</b> innovation.<img src=x onerror=alert(1)>\n\n"
            "First <script>alert(1)</script> sentence.\n"
            "Second <a href='javascript:alert(2)'>link</a> paragraph.\n"
        )
        run(write(tmp_path, text))
        case_study = CaseStudy.objects.get(slug="write-up")
        assert "<script>" not in case_study.body and "<a " not in case_study.body
        assert "&lt;a href=" in case_study.body  # shown as the text it was
        assert case_study.title == "<script>alert('title')</script> Lab"  # escaped where shown
        case_study.unrecognised_statements.get()  # the tagged statement matched nothing
        from django.utils import timezone

        case_study.unrecognised_statements.update(dismissed_at=timezone.now())
        CaseStudy.objects.filter(pk=case_study.pk).update(
            status="published", published_at=timezone.now()
        )
        page = client.get(case_study.get_absolute_url()).text
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; Lab" in page

    @pytest.mark.django_db
    def test_a_missing_file_is_a_clear_error(self, principles, tmp_path):
        with pytest.raises(CommandError, match="no such file"):
            run(tmp_path / "missing.txt")

    @pytest.mark.django_db
    def test_one_bad_file_leaves_the_good_ones_and_creates_nothing_of_its_own(
        self, principles, tmp_path
    ):
        bad = tmp_path / "bad.txt"
        bad.write_bytes(b"\x00\x01\x02")
        with pytest.raises(CommandError, match="1 of 3 file"):
            run(BIRMINGHAM, bad, HYNDBURN)
        assert CaseStudy.objects.count() == 2

    @pytest.mark.django_db
    def test_a_failure_half_way_through_a_file_leaves_nothing_behind(
        self, principles, tmp_path, monkeypatch
    ):
        from casestudies.content import importing

        def explode(*args, **kwargs):
            raise importing.ImportFailed("the contact could not be saved")

        monkeypatch.setattr(importing.WriteUpImporter, "_contact", explode)
        with pytest.raises(CommandError, match="the contact could not be saved"):
            run(BIRMINGHAM)
        assert not CaseStudy.objects.exists()
        assert not StatusChange.objects.exists()

    @pytest.mark.django_db
    def test_slug_and_title_name_only_one_file(self, principles):
        with pytest.raises(CommandError, match="give only one file"):
            run(BIRMINGHAM, HYNDBURN, "--slug", "one")
        with pytest.raises(CommandError, match="is not a slug"):
            run(BIRMINGHAM, "--slug", "Not A Slug")


CONTACT_TEXT = (
    "Principles met\n\u2022 We will embrace innovation.\n\n" + BODY + "For further "
    "information: Jane Doe\nNew Job Title\nExample Council\nEmail: jane.new@example.org\n"
)


@pytest.mark.django_db
def test_an_import_proposes_changes_to_a_known_contact_instead_of_writing_them(
    principles, tmp_path, client, publisher_client
):
    """Importing a draft must not rewrite what a published page shows of a person."""
    from tests.factories import CaseStudyFactory

    council = Organisation.objects.create(name="Example Council", slug="example-council")
    jane = Contact.objects.create(
        name="Jane Doe",
        organisation=council,
        role="Policy Lead",
        email="jane@example.org",
        email_visibility="everyone",
    )
    live = CaseStudyFactory(slug="live", contacts=[jane], councils=[council])
    output = run(write(tmp_path, CONTACT_TEXT))
    assert "contact Jane Doe: proposed role 'New Job Title', email 'jane.new@example.org'" in (
        output
    )
    jane.refresh_from_db()
    assert (jane.role, jane.email) == ("Policy Lead", "jane@example.org")
    page = client.get(live.get_absolute_url()).text
    assert "Policy Lead" in page and "jane.new@example.org" not in page
    # Staff see the proposal and accept it.
    listed = publisher_client.get("/admin/casestudies/contact/", {"proposed": "yes"}).text
    assert "New Job Title" in listed
    publisher_client.post(
        "/admin/casestudies/contact/",
        {"action": "accept_proposed_changes", "_selected_action": [jane.pk]},
    )
    jane.refresh_from_db()
    assert (jane.role, jane.email, jane.proposed_changes) == (
        "New Job Title",
        "jane.new@example.org",
        {},
    )
    assert "New Job Title" in client.get(live.get_absolute_url()).text


@pytest.mark.django_db
def test_another_organisations_editor_neither_sees_nor_decides_a_proposal(
    principles, tmp_path, client, member_editor, other_organisation
):
    from tests.factories import CaseStudyFactory

    jane = Contact.objects.create(
        name="Jane Doe", organisation=other_organisation, role="Policy Lead"
    )
    jane.propose("import of x.txt", email="jane.private@example.org")
    shared = CaseStudyFactory(draft=True, contacts=[jane])
    shared.roles.create(organisation=member_editor.editor_membership.organisation)
    client.force_login(member_editor)
    assert "jane.private" not in client.get("/admin/casestudies/contact/").text
    assert "jane.private" not in client.get(f"/admin/casestudies/contact/{jane.pk}/change/").text
    client.post(
        "/admin/casestudies/contact/",
        {"action": "accept_proposed_changes", "_selected_action": [jane.pk]},
    )
    jane.refresh_from_db()
    assert jane.email == "" and jane.proposed_changes["email"] == "jane.private@example.org"
