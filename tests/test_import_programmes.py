"""Importing the network's real pages: Policy Labs with their members, principles the portal
does not know yet, folders of write-ups and dry runs (issue 13, points 2, 3, 4 and 6).

The write-ups here are written for these tests in the shapes the network's pages take: a title,
a block of facts, "Principles met" with titled or bare statements in curly or straight quotes,
"About the project", and "Further information".
"""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.content.importing import organisation_key
from casestudies.models import (
    CaseStudy,
    CaseStudyOrganisation,
    Contact,
    Organisation,
    StatusChange,
    UnrecognisedStatement,
)

Role = CaseStudyOrganisation.Role

TOWNS = [
    "Barnsley", "Bolton", "Bury", "Calderdale", "Doncaster", "Gateshead", "Halton", "Knowsley",
    "Leeds", "Liverpool", "Manchester", "Newham", "Oldham", "Plymouth", "Rochdale", "Salford",
    "Sefton", "Stockport", "Sunderland", "Tameside", "Wigan", "Wirral",
]  # fmt: skip

SOCIAL_PARTNERSHIP = (
    "We will strengthen the co-operative partnership between citizens, communities, "
    "enterprises and Councils, based on a shared sense of responsibility for wellbeing and "
    "mutual benefit."
)
COUNCILLORS = (
    "We will develop community leadership and a new role for councillors as co-operative "
    "champions in their wards."
)

LAB = f"""Neighbourhood Food Networks Policy Lab
Lead Member
Preston City Council
Participating Members
{", ".join(f"{town} Council" for town in TOWNS)}
Year
2020
Status
Policy Labs
Principles met
-
\u201cCo-production\u201d
\u201cWe will develop systems that enable citizens to be equal partners in designing and \
commissioning public services and in determining the use of public resources.\u201d
-
Community leadership and a new role for councillors
{COUNCILLORS}
-
Social partnership
{SOCIAL_PARTNERSHIP}Working with the CCIN
About the project
The lab brought councils together to plan food networks run by their neighbourhoods. Each \
council mapped who grows, cooks and shares food.
The councils then wrote a shared guide, tested in three wards.
Further information
Amira Khan
Food Policy Officer
Preston Council
amira.khan@example.org
"""

PROTOTYPE = """Energy Co-op Starter Kit
Lead Member: Oldham Council
Participating Members: Brighton & Hove, City of York Council
Year 2022
Status Prototype in development
Principles met
\u2022 We will embrace innovation in how we work with local communities to drive positive change.
\u2022 'We will involve residents in every decision about their homes.'
The kit helps residents set up an energy co-operative in a year.
For further information
Sam Lee
Project Lead
Oldham Council
"""


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_writeup", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        raise CommandError(f"{error}\n--- stdout:\n{out.getvalue()}") from None
    return out.getvalue() + err.getvalue()


def summary_row(output, label):
    """The figure on the summary table's row `label`."""
    found = re.search(rf"^  {label} +(\d+)$", output, re.M)
    assert found, f"no summary row {label!r} in:\n{output}"
    return int(found[1])


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def lab_file(tmp_path):
    return write(tmp_path, "food-networks-lab.txt", LAB)


@pytest.mark.django_db
class TestAPolicyLabPage:
    def test_the_facts_become_kind_year_status_and_member_roles(self, principles, lab_file):
        output = run(lab_file)
        lab = CaseStudy.objects.get(slug="food-networks-lab")
        assert lab.title == "Neighbourhood Food Networks Policy Lab"  # from the text
        assert (lab.kind, lab.year, lab.programme_status) == ("policy_lab", 2020, "Policy Labs")
        assert [o.name for o in lab.lead_members] == ["Preston City Council"]
        assert sorted(o.name for o in lab.participating_members) == sorted(
            f"{town} Council" for town in TOWNS
        )
        assert "kind: Policy Lab (Policy Labs)" in output
        assert summary_row(output, "organisations created") == 23
        assert "lead member: Preston City Council (new organisation)" in output

    def test_organisations_are_never_duplicated(self, principles, lab_file):
        Organisation.objects.create(
            name="Oldham Metropolitan Borough Council", slug="oldham", kind="council"
        )
        Organisation.objects.create(name="Wigan council", slug="wigan", kind="council")
        run(lab_file)
        run(lab_file)  # again: the same organisations
        assert Organisation.objects.filter(name__icontains="oldham").count() == 1
        assert Organisation.objects.filter(name__icontains="wigan").count() == 1
        # "Preston Council" (the contact's) is "Preston City Council" (the lead member).
        assert Organisation.objects.filter(name__icontains="preston").count() == 1
        lab = CaseStudy.objects.get(slug="food-networks-lab")
        oldham = Organisation.objects.get(slug="oldham")
        assert oldham in lab.participating_members
        assert Contact.objects.get().organisation.name == "Preston City Council"

    def test_statements_the_portal_does_not_know_are_kept_not_dropped(self, principles, lab_file):
        output = run(lab_file)
        lab = CaseStudy.objects.get(slug="food-networks-lab")
        assert [p.title for p in lab.principles.all()] == ["Co-production", "Social partnership"]
        (kept,) = lab.unrecognised_statements.all()
        assert kept.title == "Community leadership and a new role for councillors"
        assert kept.text == COUNCILLORS
        assert "UNRECOGNISED (kept for staff to decide): 'Community leadership" in output

    def test_text_glued_to_the_last_statement_is_not_part_of_it(self, principles, lab_file):
        output = run(lab_file)
        lab = CaseStudy.objects.get(slug="food-networks-lab")
        assert "Social partnership" in [p.title for p in lab.principles.all()]
        assert "ignored the line 'Working with the CCIN'" in output
        assert "CCIN" not in lab.body and "CCIN" not in lab.summary
        assert "About the project" not in lab.body

    def test_the_summary_is_never_repeated_as_the_first_paragraph(self, principles, lab_file):
        run(lab_file)
        lab = CaseStudy.objects.get(slug="food-networks-lab")
        assert lab.summary.startswith("The lab brought councils together")
        assert lab.summary not in lab.body
        assert lab.body == "<p>The councils then wrote a shared guide, tested in three wards.</p>"

    def test_the_contact_block_after_further_information(self, principles, lab_file):
        run(lab_file)
        contact = CaseStudy.objects.get(slug="food-networks-lab").contacts.get()
        assert (contact.name, contact.role, contact.email) == (
            "Amira Khan",
            "Food Policy Officer",
            "amira.khan@example.org",
        )
        assert contact.public_email == ""  # consent is for staff to record, never assumed

    def test_one_line_facts_straight_quotes_and_a_prototype(self, principles, tmp_path):
        york = Organisation.objects.create(name="City of York Council", slug="york")
        run(write(tmp_path, "starter-kit.txt", PROTOTYPE))
        kit = CaseStudy.objects.get(slug="starter-kit")
        assert (kit.kind, kit.year, kit.programme_status) == (
            "prototype",
            2022,
            "Prototype in development",
        )
        assert [o.name for o in kit.lead_members] == ["Oldham Council"]
        assert {o.name for o in kit.participating_members} == {"Brighton & Hove", york.name}
        assert [p.title for p in kit.principles.all()] == ["Innovation"]
        assert kit.unrecognised_statements.get().text == (
            "'We will involve residents in every decision about their homes.'"
        )

    def test_the_kind_option_wins_over_the_status(self, principles, lab_file):
        run(lab_file, "--kind", "case_study")
        assert CaseStudy.objects.get(slug="food-networks-lab").kind == "case_study"

    def test_the_seeds_still_import_as_before(self, principles):
        # The demo write-ups have no facts block: nothing of it is invented for them.
        from tests.test_import_writeup import BIRMINGHAM

        run(BIRMINGHAM)
        case_study = CaseStudy.objects.get()
        assert (case_study.kind, case_study.year, case_study.programme_status) == (
            "case_study",
            None,
            "",
        )
        assert not case_study.unrecognised_statements.exists()


@pytest.mark.parametrize(
    "a,b",
    [
        ("Oldham Council", "Oldham Metropolitan Borough Council"),
        ("City of York Council", "York"),
        ("Brighton & Hove City Council", "brighton and hove"),
        ("London Borough of Lambeth", "Lambeth Council"),
        ("Kirklees Council.", "KIRKLEES"),
    ],
)
def test_names_that_mean_the_same_organisation(a, b):
    assert organisation_key(a) == organisation_key(b)


@pytest.mark.parametrize(
    "a,b",
    [("Newcastle City Council", "Newcastle-under-Lyme Borough Council"), ("Bury", "Bolton")],
)
def test_names_that_do_not(a, b):
    assert organisation_key(a) != organisation_key(b)


@pytest.mark.django_db
class TestBulkImport:
    def test_a_folder_imports_each_write_up_and_ends_with_a_summary(self, principles, tmp_path):
        folder = tmp_path / "site"
        write(folder, "food-networks-lab.txt", LAB)
        write(folder / "labs", "starter-kit.txt", PROTOTYPE)
        write(folder, "notes.md", "not a write-up, not read")
        write(folder, "broken.txt", "Dear all,\nno principles here\n")
        with pytest.raises(CommandError, match="1 of 3 file") as raised:
            run(folder, "--progress")
        output = str(raised.value)
        assert CaseStudy.objects.count() == 2
        for label, figure in (
            ("files read", 3),
            ("created", 2),
            ("updated", 0),
            ("refused", 1),
            ("statements unrecognised", 2),
        ):
            assert summary_row(output, label) == figure
        assert "broken.txt: not a write-up" in output

    def test_the_progress_bar_counts_the_files(self, principles, tmp_path):
        folder = tmp_path / "site"
        for number in range(6):
            write(folder, f"lab-{number}.txt", LAB)
        err = io.StringIO()
        call_command("import_writeup", str(folder), "--progress", stdout=io.StringIO(), stderr=err)
        assert "[##############################] 6/6" in err.getvalue()
        assert "3/6" in err.getvalue()

    def test_a_dry_run_reports_and_saves_nothing(self, principles, tmp_path, lab_file):
        output = run(lab_file, write(tmp_path, "starter-kit.txt", PROTOTYPE), "--dry-run")
        assert "Would have created draft 'Neighbourhood Food Networks Policy Lab'" in output
        assert "Summary (dry run: nothing was saved)" in output
        assert summary_row(output, "created") == 2
        assert not CaseStudy.objects.exists()
        assert not Organisation.objects.exists()
        assert not Contact.objects.exists()
        assert not UnrecognisedStatement.objects.exists()
        assert not StatusChange.objects.exists()

    def test_a_dry_run_of_an_update_says_so_and_changes_nothing(self, principles, lab_file):
        run(lab_file)
        CaseStudy.objects.update(title="Edited by staff")
        output = run(lab_file, "--dry-run")
        assert "Would have updated draft" in output
        assert CaseStudy.objects.get().title == "Edited by staff"

    def test_an_empty_folder_is_refused_with_the_reason(self, principles, tmp_path):
        (tmp_path / "empty").mkdir()
        with pytest.raises(CommandError, match=r"no \.txt files in the folder"):
            run(tmp_path / "empty")

    def test_a_year_out_of_range_is_a_clear_error(self, principles, lab_file):
        with pytest.raises(CommandError, match="--year 20: give the year"):
            run(lab_file, "--year", "20")


@pytest.mark.django_db
class TestUndecidedStatements:
    def test_block_publication_until_staff_decide(self, principles, lab_file, publisher):
        from django.utils import timezone

        from casestudies.publishing.workflow import missing_for_publication

        run(lab_file)
        lab = CaseStudy.objects.get()
        (missing,) = missing_for_publication(lab)  # the lab has all else a page needs
        assert "each principle statement its import could not match" in missing
        lab.unrecognised_statements.update(dismissed_at=timezone.now(), dismissed_by=publisher)
        assert missing_for_publication(lab) == []  # decided: it may be published

    def test_a_re_import_keeps_a_decision_and_forgets_statements_no_longer_cited(
        self, principles, lab_file, publisher
    ):
        from django.utils import timezone

        run(lab_file)
        UnrecognisedStatement.objects.update(dismissed_at=timezone.now(), dismissed_by=publisher)
        run(lab_file)
        assert UnrecognisedStatement.objects.get().dismissed_by == publisher
        lab_file.write_text(LAB.replace(COUNCILLORS, "").replace(
            "Community leadership and a new role for councillors\n", ""
        ), encoding="utf-8")  # fmt: skip
        run(lab_file)
        assert not UnrecognisedStatement.objects.exists()
