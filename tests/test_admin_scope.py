"""Every staff page, for every role: who gets it, and who is refused.

The URLs come from the admin's own URLconf, so a page added later (a new model, a library's
view) fails `test_every_admin_url_has_a_rule` until it is given an expected answer here.

The objects belong to Oldham Council. The roles: a visitor, a signed-in person who is not staff,
Oldham's member editor ("own"), Rochdale's member editor ("other"), a publisher and a superuser.
An allowed page answers 200; a refused one answers 403 or 404, or sends staff back to the admin
home (Django's answer for an object outside the user's list), and never shows the object.
"""

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from casestudies.models import (
    CaseStudy,
    Contact,
    ContactMessage,
    EditorInvitation,
    EditorMembership,
    MemberAccount,
    MemberInvitation,
    Organisation,
    PersonalDataRequest,
    StatusChange,
    UnrecognisedStatement,
)
from principles.models import Principle
from tests.factories import (
    CaseStudyFactory,
    ContactFactory,
    EditorMembershipFactory,
    OrganisationFactory,
    UserFactory,
)

ROLES = ["visitor", "member", "own_editor", "other_editor", "publisher", "superuser"]
EDITORS = {"own_editor", "other_editor"}
OWN = {"own_editor", "publisher", "superuser"}
PUBLISHING = {"publisher", "superuser"}
STAFF = EDITORS | PUBLISHING
SUPERUSER = {"superuser"}
NOBODY = set()

#: The secret a refused page must never show: in the draft's title, the theme's name and the
#: contact's private email.
SECRET = "oldhamsecret"


def page_rules(list_=STAFF, add=STAFF, object_=OWN, history=OWN, delete=OWN, version=None):
    """Who may open each page of one model's admin."""
    rules = {
        "changelist": list_,
        "add": add,
        "change": object_,
        "history": history,
        "delete": delete,
        "object": object_,  # /<id>/ redirects to the change page, for whoever may see it
    }
    if version is not None:
        rules["simple_history"] = version
    return rules


#: Model label → page → the roles for whom the page answers 200 (for Oldham's object).
RULES = {
    # Oldham's draft: its editor and publishers; Rochdale's editor has a list and an add page,
    # and imports write-ups (as drafts of their own organisation).
    "casestudies.casestudy": {**page_rules(version=OWN), "import": STAFF},
    # Statements imports could not match: they span every organisation's drafts, so they are
    # the publishers' (editors see their own on the case study's page); decided, never edited.
    "casestudies.unrecognisedstatement": {
        **page_rules(
            list_=PUBLISHING, add=NOBODY, object_=PUBLISHING, history=PUBLISHING, delete=NOBODY
        ),
        "adopt": PUBLISHING,
        "dismiss": PUBLISHING,
    },
    # Publishers' review queue: read only, the case study is edited in one place.
    "casestudies.casestudyawaitingreview": page_rules(
        list_=PUBLISHING, add=NOBODY, object_=PUBLISHING, history=PUBLISHING, delete=NOBODY
    ),
    # Organisations: every editor reads them (to name partners); only publishers change them,
    # and their history (which would let a revert rewrite them) is the publishers' alone.
    "casestudies.organisation": page_rules(
        add=PUBLISHING, object_=STAFF, history=PUBLISHING, delete=PUBLISHING, version=PUBLISHING
    ),
    # Oldham's contact: its own editor changes it and reads its history; nobody else but
    # publishers sees it (Rochdale's editor has no case study with it). Editors delete none.
    "casestudies.contact": {
        **page_rules(delete=PUBLISHING, version=OWN),
        # Exporting and erasing a person's data: publishers only, even for the contact's editor.
        "personal_data": PUBLISHING,
        "erase": PUBLISHING,
    },
    # Members' accounts, read only, to answer requests about personal data; and their log.
    "casestudies.memberaccount": {
        **page_rules(
            list_=PUBLISHING, add=NOBODY, object_=PUBLISHING, history=PUBLISHING, delete=NOBODY
        ),
        "personal_data": PUBLISHING,
        "erase": PUBLISHING,
    },
    "casestudies.personaldatarequest": page_rules(
        list_=PUBLISHING, add=NOBODY, object_=PUBLISHING, history=PUBLISHING, delete=NOBODY
    ),
    # A theme used only in Oldham's draft: its name is Oldham's business until published.
    "casestudies.theme": page_rules(add=PUBLISHING, delete=PUBLISHING),
    "casestudies.statuschange": page_rules(
        list_=PUBLISHING, add=NOBODY, object_=PUBLISHING, history=PUBLISHING, delete=NOBODY
    ),
    "casestudies.editormembership": page_rules(
        list_=PUBLISHING,
        add=PUBLISHING,
        object_=PUBLISHING,
        history=PUBLISHING,
        delete=PUBLISHING,
    ),
    "principles.principle": page_rules(
        add=PUBLISHING, object_=STAFF, history=STAFF, delete=PUBLISHING
    ),
    # Inviting member editors: publishers alone. An invitation is read, never changed (its page
    # refuses a POST: tests/test_invitations.py), and withdrawn by deleting it.
    "casestudies.editorinvitation": page_rules(
        list_=PUBLISHING,
        add=PUBLISHING,
        object_=PUBLISHING,
        history=PUBLISHING,
        delete=PUBLISHING,
    ),
    "auth.user": {
        **page_rules(SUPERUSER, SUPERUSER, SUPERUSER, SUPERUSER, SUPERUSER),
        "password_change": SUPERUSER,
    },
    "auth.group": page_rules(SUPERUSER, SUPERUSER, SUPERUSER, SUPERUSER, SUPERUSER),
    "axes.accessattempt": page_rules(SUPERUSER, NOBODY, SUPERUSER, SUPERUSER, SUPERUSER),
    # Second-factor devices (django-otp): superusers alone, to remove a lost one. The config
    # and QR code pages show a device's secret.
    "otp_totp.totpdevice": {
        **page_rules(SUPERUSER, SUPERUSER, SUPERUSER, SUPERUSER, SUPERUSER),
        "config": SUPERUSER,
        "qrcode": SUPERUSER,
    },
    "otp_static.staticdevice": page_rules(SUPERUSER, SUPERUSER, SUPERUSER, SUPERUSER, SUPERUSER),
    "axes.accesslog": page_rules(SUPERUSER, NOBODY, SUPERUSER, SUPERUSER, SUPERUSER),
    "axes.accessfailurelog": page_rules(SUPERUSER, NOBODY, SUPERUSER, SUPERUSER, SUPERUSER),
    # Members (issue 14): publishers invite people to sign up, and read the log of members'
    # messages to contacts (never the text); nobody changes either. Members' email addresses
    # (django-allauth) are the superusers' alone.
    "casestudies.memberinvitation": page_rules(
        list_=PUBLISHING, add=PUBLISHING, object_=PUBLISHING, history=PUBLISHING, delete=NOBODY
    ),
    "casestudies.contactmessage": page_rules(
        list_=PUBLISHING, add=NOBODY, object_=PUBLISHING, history=PUBLISHING, delete=NOBODY
    ),
    "account.emailaddress": page_rules(SUPERUSER, SUPERUSER, SUPERUSER, SUPERUSER, SUPERUSER),
    # Background tasks (django-tasks-db): their arguments hold addresses and message texts, so
    # superusers alone read them; nobody adds, changes or deletes one in the admin.
    "django_tasks_database.dbtaskresult": page_rules(
        SUPERUSER, NOBODY, SUPERUSER, SUPERUSER, NOBODY
    ),
}

#: The workflow's buttons on the case study change page (a POST naming `_workflow`): the step
#: → (which of Oldham's case studies it is pressed on, the roles for whom it moves it).
WORKFLOW_RULES = {
    "submit": (
        "casestudies.casestudy",
        {"own_editor"},
    ),  # member editors submit; publishers publish
    "publish": ("casestudies.casestudy", PUBLISHING),
    "schedule": ("casestudies.casestudy", PUBLISHING),
    "send_back": ("casestudies.casestudyawaitingreview", PUBLISHING),
}

#: Change pages that these roles may read but not save.
VIEW_ONLY = {
    *(
        (label, role)
        for label in ("casestudies.organisation", "principles.principle")
        for role in EDITORS
    ),
    ("casestudies.theme", "own_editor"),
    ("casestudies.statuschange", "publisher"),
    *(("casestudies.unrecognisedstatement", role) for role in PUBLISHING),
    ("casestudies.memberinvitation", "publisher"),
    ("casestudies.contactmessage", "publisher"),
    ("casestudies.memberaccount", "publisher"),
    ("casestudies.personaldatarequest", "publisher"),
}

#: Pages of the site itself: URL name → the roles that get 200.
SITE_RULES = {
    "index": STAFF,
    "password_change": STAFF,
    "password_change_done": STAFF,
    "jsi18n": STAFF,
    "app_list": None,  # per app: see app_list_rules
    "autocomplete": None,  # tested with its parameters below
    "login": None,  # a form for everyone (staff are sent on to the admin home)
    "logout": None,  # POST only
    "view_on_site": None,  # redirects: tested below
    "two_factor": None,  # setting up a second factor: tests/test_two_factor.py
    "catch_all": None,  # 404 for staff, the sign-in page for others
}


def admin_patterns(patterns=None, prefix=""):
    """(route, URL name) of every page the admin serves."""
    for entry in admin.site.get_urls() if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from admin_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def rule_for(route, name):
    """(model label, page) or (None, site page) for one admin route; KeyError when none."""
    model_route = re.match(r"^\^?(\w+)/(\w+)/", route)
    if model_route and f"{model_route[1]}.{model_route[2]}" in RULES:
        label = f"{model_route[1]}.{model_route[2]}"
        if route.endswith("<path:object_id>/") and name is None:
            page = "object"
        else:
            page = name.removeprefix(f"{model_route[1]}_{model_route[2]}_")
        if page not in RULES[label]:
            raise KeyError(f"{label}: {page}")
        return label, page
    if name is None:
        name = "catch_all"
    if name not in SITE_RULES:
        raise KeyError(name)
    return None, name


def test_every_admin_url_has_a_rule():
    missing = []
    for route, name in admin_patterns():
        try:
            rule_for(route, name)
        except KeyError as error:
            missing.append(f"{route} ({error})")
    assert not missing, "admin URLs with no expected answer: " + ", ".join(missing)


def test_every_registered_model_has_rules():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(RULES)


@pytest.fixture
def world(principles, settings):
    """Oldham's objects, with a kept version of each, and a user for each role."""
    oldham = OrganisationFactory(name="Oldham Council", slug="oldham-council")
    rochdale = OrganisationFactory(name="Rochdale Council", slug="rochdale-council")
    contact = ContactFactory(
        name="Olive Oldham",
        organisation=oldham,
        email=f"{SECRET}@oldham.example",
        phone="0161 000 0001",
    )
    draft = CaseStudyFactory(
        title=f"Draft {SECRET}",
        slug="oldham-draft",
        draft=True,
        councils=[oldham],
        themes=[f"Theme {SECRET}"],
        contacts=[contact],
        principles=[principles[0]],
    )
    draft.summary = "A second version."
    draft.save()
    submitted = CaseStudyFactory(
        title=f"Submitted {SECRET}", slug="oldham-submitted", in_review=True, councils=[oldham]
    )
    contact.role = "Second version"
    contact.save()
    oldham.website = "https://oldham.example"
    oldham.save()
    users = {
        "member": UserFactory(username="member", is_staff=False),
        "own_editor": EditorMembershipFactory(
            user__username="oldham-editor", organisation=oldham
        ).user,
        "other_editor": EditorMembershipFactory(
            user__username="rochdale-editor", organisation=rochdale
        ).user,
        "publisher": UserFactory(username="publisher", groups=["Publishers"]),
        "superuser": User.objects.create_superuser("root", "root@example.org", "pw"),
    }
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="127.0.0.1", user_agent="t", failures_since_start=1
    )
    log = AccessLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t")
    failure = AccessFailureLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t")
    erasure = PersonalDataRequest.objects.create(
        action="erasure", subject_kind="contact", subject_id=999, removed={"contact": 1}
    )
    totp_device = TOTPDevice.objects.create(user=users["own_editor"], name="App")
    static_device = StaticDevice.objects.create(user=users["own_editor"], name="Codes")
    invitation = EditorInvitation.objects.create(
        email=f"{SECRET}-invitee@oldham.example", organisation=oldham
    )
    # A queued email, as production's database backend keeps it (the tests send at once).
    settings.TASKS = {**settings.TASKS, "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_result = DBTaskResult.objects.create(
        task_path="casestudies.notifications.email.deliver_email",
        args_kwargs={"args": [], "kwargs": {"to": [f"{SECRET}@oldham.example"]}},
        backend_name="queue",
        run_after=timezone.now(),
    )
    objects = {
        "casestudies.casestudy": draft,
        "casestudies.editorinvitation": invitation,
        "casestudies.casestudyawaitingreview": submitted,
        "casestudies.organisation": oldham,
        "casestudies.contact": contact,
        "casestudies.theme": draft.themes.get(),
        "casestudies.statuschange": StatusChange.objects.filter(case_study=draft).first(),
        # Decided (dismissed), so that the draft stays ready to publish for the buttons' test.
        "casestudies.unrecognisedstatement": UnrecognisedStatement.objects.create(
            case_study=draft,
            title="Democratic engagement",
            text=f"We will {SECRET}.",
            key="x",
            dismissed_at=timezone.now(),
        ),
        "casestudies.editormembership": EditorMembership.objects.get(organisation=oldham),
        "casestudies.memberaccount": MemberAccount.objects.get(pk=users["member"].pk),
        "casestudies.personaldatarequest": erasure,
        "principles.principle": principles[0],
        "auth.user": users["own_editor"],
        "auth.group": Group.objects.get(name="Member editors"),
        "axes.accessattempt": attempt,
        "axes.accesslog": log,
        "axes.accessfailurelog": failure,
        "otp_totp.totpdevice": totp_device,
        "otp_static.staticdevice": static_device,
        "django_tasks_database.dbtaskresult": task_result,
        "casestudies.memberinvitation": MemberInvitation.objects.create(
            email=f"{SECRET}@guest.example", invited_by=users["publisher"]
        ),
        "casestudies.contactmessage": ContactMessage.objects.create(
            sender=users["member"], contact=contact, case_study=draft, submission=uuid.uuid4()
        ),
        "account.emailaddress": EmailAddress.objects.create(
            user=users["member"], email=f"{SECRET}@member.example", verified=True, primary=True
        ),
    }
    return {"users": users, "objects": objects, "oldham": oldham, "rochdale": rochdale}


def url_for(route, label, page, obj):
    """A concrete URL for one admin route and object."""
    if page == "simple_history":
        version = obj.history.order_by("history_id").first()
        return f"/admin/{label.replace('.', '/')}/{obj.pk}/history/{version.history_id}/"
    if page == "password_change":
        return f"/admin/auth/user/{obj.pk}/password/"
    if page in ("config", "qrcode"):
        return f"/admin/{label.replace('.', '/')}/{obj.pk}/{page}/"
    return "/admin/" + route.replace("<path:object_id>", str(obj.pk))


def sign_in(client, world, role):
    if role != "visitor":
        client.force_login(world["users"][role])


def assert_refused(response, role, url):
    if role in ("visitor", "member"):
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
        return
    assert response.status_code in (302, 403, 404), f"{role} got {response.status_code}: {url}"
    if response.status_code == 302:
        assert response["Location"] == "/admin/", f"{role} sent to {response['Location']}: {url}"
    assert SECRET not in response.content.decode(errors="replace"), f"{role} saw it: {url}"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_model_page_answers_each_role_as_expected(client, world, role):
    sign_in(client, world, role)
    checked = 0
    for route, name in admin_patterns():
        label, page = rule_for(route, name)
        if label is None:
            continue
        obj = world["objects"][label]
        url = url_for(route, label, page, obj)
        response = client.get(url)
        if page == "object" and role in STAFF:
            # Django sends /<id>/ on to the change page, which then decides.
            assert response.status_code == 301 or response["Location"].endswith("/change/")
        elif role in RULES[label][page]:
            expected = 200
            if label == "casestudies.casestudyawaitingreview" and page == "change":
                expected = 302  # the queue sends its editor to the case study itself
            assert response.status_code == expected, f"{role} got {response.status_code}: {url}"
        else:
            assert_refused(response, role, url)
        checked += 1
    assert checked >= 75


def app_list_rules(app_label):
    return {
        "casestudies": STAFF,
        "principles": STAFF,
        "auth": SUPERUSER,
        "axes": SUPERUSER,
        "otp_totp": SUPERUSER,
        "otp_static": SUPERUSER,
        "django_tasks_database": SUPERUSER,
        "account": SUPERUSER,
    }[app_label]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_site_page_answers_each_role_as_expected(client, world, role):
    sign_in(client, world, role)
    for route, name in admin_patterns():
        label, page = rule_for(route, name)
        if label is not None or SITE_RULES[page] is None:
            continue
        url = "/admin/" + route
        response = client.get(url)
        if role in SITE_RULES[page]:
            assert response.status_code == 200, f"{role} got {response.status_code}: {url}"
        else:
            assert_refused(response, role, url)
    for app_label in (
        "casestudies",
        "principles",
        "auth",
        "axes",
        "otp_totp",
        "otp_static",
        "django_tasks_database",
        "account",
    ):
        response = client.get(f"/admin/{app_label}/")
        if role in app_list_rules(app_label):
            assert response.status_code == 200
        else:
            assert_refused(response, role, f"/admin/{app_label}/")
    # Sign-in, sign-out and unknown addresses.
    assert client.get("/admin/login/").status_code == (200 if role not in STAFF else 302)
    assert client.get("/admin/logout/").status_code in (302, 405)  # signing out is a POST
    unknown = client.get("/admin/no-such-page/")
    assert unknown.status_code == (404 if role in STAFF else 302)


def _snapshot(obj):
    """What a refused POST must leave as it was: every concrete field of the object."""
    fresh = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    return fresh


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(set(ROLES) - {"superuser"}))
def test_refused_posts_change_nothing(client, world, role):
    """Change, delete and revert, posted by hand to every object page the role may not use."""
    sign_in(client, world, role)
    for route, name in admin_patterns():
        label, page = rule_for(route, name)
        if label is None or page not in ("change", "delete", "simple_history", "adopt", "dismiss"):
            continue
        view_only = (label, role) in VIEW_ONLY and page in ("change", "delete")
        if role in RULES[label][page] and not view_only:
            continue  # allowed (a view-only change page must still refuse the POST)
        obj = world["objects"][label]
        before = _snapshot(obj)
        data = {
            "name": "Hijacked",
            "title": "Hijacked",
            "website": "https://evil.example",
            "post": "yes",
            "role": "Hijacked",
            "organisation": world["rochdale"].pk,
        }
        response = client.post(url_for(route, label, page, obj), data)
        assert response.status_code in (302, 403, 404), (role, route, response.status_code)
        assert _snapshot(obj) == before, f"{role} changed {label} through {route}"


@pytest.mark.django_db
def test_a_member_editor_cannot_revert_another_organisations_record(client, world):
    """The fault the hostile review found: a revert POST on an organisation's or a contact's
    version page, by an editor of another organisation (and by the organisation's own editor,
    for the organisation, which only publishers change)."""
    for role in ("other_editor", "own_editor"):
        client.force_login(world["users"][role])
        oldham = world["oldham"]
        version = oldham.history.order_by("history_id").first()
        response = client.post(
            f"/admin/casestudies/organisation/{oldham.pk}/history/{version.history_id}/",
            {"name": "Hijacked", "slug": "hijacked", "kind": "council", "membership": "none"},
        )
        assert response.status_code in (403, 404)
        oldham.refresh_from_db()
        assert oldham.name == "Oldham Council"
        assert oldham.website == "https://oldham.example"
    client.force_login(world["users"]["other_editor"])
    contact = world["objects"]["casestudies.contact"]
    version = contact.history.order_by("history_id").first()
    response = client.post(
        f"/admin/casestudies/contact/{contact.pk}/history/{version.history_id}/",
        {"name": "Hijacked", "email": "evil@example.org"},
    )
    assert response.status_code in (403, 404)
    contact.refresh_from_db()
    assert contact.name == "Olive Oldham"


@pytest.mark.django_db
def test_a_version_of_a_record_that_once_was_theirs_is_judged_by_today(client, world):
    """simple-history judged a version page by the kept version: a contact that moved to
    another organisation stayed revertible by its old organisation's editor."""
    contact = world["objects"]["casestudies.contact"]
    contact.organisation = world["rochdale"]
    contact.save()
    CaseStudy.objects.get(slug="oldham-draft").contacts.clear()
    client.force_login(world["users"]["own_editor"])
    version = contact.history.order_by("history_id").first()  # still at Oldham
    url = f"/admin/casestudies/contact/{contact.pk}/history/{version.history_id}/"
    assert client.get(url).status_code in (403, 404)
    response = client.post(url, {"name": "Moved back", "organisation": world["oldham"].pk})
    assert response.status_code in (403, 404)
    contact.refresh_from_db()
    assert contact.organisation == world["rochdale"]


@pytest.mark.django_db
def test_a_member_editor_cannot_attach_a_contact_they_may_not_see(client, world, principles):
    """Attaching another organisation's contact by id to one's own draft, to read it."""
    from tests.factories import casestudy_admin_data

    rochdale_contact = ContactFactory(
        name="Rita Rochdale", organisation=world["rochdale"], email="rita@rochdale.example"
    )
    own = CaseStudyFactory(title="Rochdale draft", draft=True, councils=[world["rochdale"]])
    client.force_login(world["users"]["other_editor"])
    oldham_contact = world["objects"]["casestudies.contact"]
    data = casestudy_admin_data(own, contacts=[oldham_contact.pk, rochdale_contact.pk])
    response = client.post(f"/admin/casestudies/casestudy/{own.pk}/change/", data)
    assert response.status_code == 200
    assert "contacts" in response.context["adminform"].form.errors
    assert not own.contacts.filter(pk=oldham_contact.pk).exists()
    page = client.get(f"/admin/casestudies/contact/{oldham_contact.pk}/change/")
    assert_refused(page, "other_editor", "contact page")


@pytest.mark.django_db
def test_private_contact_details_only_for_those_allowed(client, world):
    """A contact on a case study two organisations share: Rochdale's editor sees the contact's
    public details only; Oldham's editor and publishers see the email as recorded."""
    draft = CaseStudy.objects.get(slug="oldham-draft")
    draft.roles.create(organisation=world["rochdale"], role="delivery")
    contact = world["objects"]["casestudies.contact"]
    url = f"/admin/casestudies/contact/{contact.pk}/change/"
    expectations = {"other_editor": False, "own_editor": True, "publisher": True}
    for role, sees in expectations.items():
        client.force_login(world["users"][role])
        page = client.get(url)
        assert page.status_code == 200
        assert (SECRET in page.text) is sees, role
        assert ("0161 000 0001" in page.text) is sees, role
        # Nor can an address be guessed by searching for it: publishers alone search by email.
        found = client.get("/admin/casestudies/contact/", {"q": f"{SECRET}@"})
        assert ("Olive Oldham" in found.text) is (role == "publisher"), role
    contact.email_visibility = "everyone"
    contact.save()
    client.force_login(world["users"]["other_editor"])
    assert SECRET in client.get(url).text  # shown to everyone: public anyway


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("own_editor", ["Olive Oldham (Oldham Council)"]),
        ("other_editor", []),
        ("publisher", ["Olive Oldham (Oldham Council)"]),
    ],
)
def test_autocomplete_offers_only_what_the_role_may_see(client, world, role, expected):
    client.force_login(world["users"][role])
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "casestudies",
            "model_name": "casestudy",
            "field_name": "contacts",
            "term": "Olive",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["visitor", "member"])
def test_autocomplete_is_for_staff_only(client, world, role):
    sign_in(client, world, role)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "casestudies", "model_name": "casestudy", "field_name": "contacts"},
    )
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("own_editor", True), ("other_editor", False), ("publisher", True), ("member", False)],
)
def test_view_on_site_redirects_only_to_what_the_role_may_see(client, world, role, allowed):
    sign_in(client, world, role)
    draft = world["objects"]["casestudies.casestudy"]
    content_type = ContentType.objects.get_for_model(CaseStudy)
    response = client.get(f"/admin/r/{content_type.pk}/{draft.pk}/")
    if allowed:
        assert response.status_code == 302
        assert draft.slug in response["Location"]
    else:
        assert response.status_code in (302, 404)
        assert draft.slug not in response.get("Location", "")
    assert client.get(f"/admin/r/{content_type.pk}/not-a-number/").status_code in (302, 404)
    assert client.get("/admin/r/99999/1/").status_code in (302, 404)


@pytest.mark.django_db
def test_bulk_actions_reach_only_the_roles_own_objects(client, world):
    draft = world["objects"]["casestudies.casestudy"]
    client.force_login(world["users"]["other_editor"])
    for action in ("submit_for_review", "delete_selected", "publish"):
        client.post(
            "/admin/casestudies/casestudy/",
            {"action": action, "_selected_action": [draft.pk], "post": "yes"},
        )
    draft.refresh_from_db()
    assert draft.status == CaseStudy.Status.DRAFT
    contact = world["objects"]["casestudies.contact"]
    client.post(
        "/admin/casestudies/contact/",
        {"action": "delete_selected", "_selected_action": [contact.pk], "post": "yes"},
    )
    assert Contact.objects.filter(pk=contact.pk).exists()
    client.post(
        "/admin/casestudies/organisation/",
        {"action": "delete_selected", "_selected_action": [world["oldham"].pk], "post": "yes"},
    )
    assert Organisation.objects.filter(pk=world["oldham"].pk).exists()
    assert Principle.objects.exists()


@pytest.mark.django_db
def test_member_editors_see_only_public_themes_and_their_own(client, world):
    draft_theme = world["objects"]["casestudies.theme"].name
    CaseStudyFactory(title="Live", councils=[world["rochdale"]], themes=["Housing"])
    client.force_login(world["users"]["other_editor"])
    themes = client.get("/admin/casestudies/theme/").text
    assert "Housing" in themes
    assert draft_theme not in themes
    # Nor in the case study list's filters.
    assert draft_theme not in client.get("/admin/casestudies/casestudy/").text
    client.force_login(world["users"]["own_editor"])
    assert draft_theme in client.get("/admin/casestudies/theme/").text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", WORKFLOW_RULES)
def test_each_workflow_button_answers_each_role_as_expected(client, world, role, step):
    """Each button, posted by hand by every role: it moves the case study for those it applies
    to, and for everyone else changes nothing (neither the status nor the fields it carries)."""
    import datetime as dt

    from django.utils import timezone

    from tests.factories import casestudy_admin_data

    label, allowed = WORKFLOW_RULES[step]
    case_study = CaseStudy.objects.get(pk=world["objects"][label].pk)
    if step == "send_back":
        case_study.principles.add(Principle.objects.first())
    sign_in(client, world, role)
    data = casestudy_admin_data(
        case_study,
        workflow=step,
        title="Moved",
        workflow_comment="Please say more.",
        published_at=timezone.now() + dt.timedelta(days=2) if step == "schedule" else None,
    )
    before = _snapshot(case_study)
    url = f"/admin/casestudies/casestudy/{case_study.pk}/change/"
    # The page shows the button exactly to those who may press it.
    page = client.get(url)
    assert (page.status_code == 200 and f'value="{step}"' in page.text) is (role in allowed)
    response = client.post(url, data)
    if role in allowed:
        assert response.status_code == 302, (role, step, response.status_code)
        assert response["Location"] == "/admin/"
        case_study.refresh_from_db()
        assert case_study.title == "Moved"
        assert case_study.status != before["status"]
    else:
        assert_refused(response, role, f"{step} {url}")
        assert _snapshot(case_study) == before, f"{role} moved it with {step}"
