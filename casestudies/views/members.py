"""Members' pages: how to join, an invitation's link, the account page, deleting the account,
saving case studies, and "Ask about this work".

Every page here depends on who is signed in, so none is kept by the page cache (a signed-in
request carries a session and is never cached; these responses are also marked private).
"""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from ..members import signup
from ..members.ask import NOBODY_TO_WRITE_TO, AskRefused, contacts_with_email, send_question
from ..members.forms import AskForm, DeleteAccountForm
from ..models import CaseStudy, Organisation, SavedCaseStudy


def _private(response):
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    return response


def join(request):
    """How to become a member: who may sign up, and how others are invited."""
    return render(request, "members/join.html")


def invitation(request, token):
    """A publisher's sign-up link: remember the invitation in the session, then sign up."""
    found = signup.invitation_from_token(token)
    if found is None:
        return _private(render(request, "members/invitation_invalid.html", status=400))
    if request.user.is_authenticated:
        return redirect("members:account")
    request.session[signup.SESSION_KEY] = found.pk
    # The link reached this address: allauth treats it as verified when it signs up with it.
    get_adapter(request).stash_verified_email(request, found.email)
    return redirect(f"{reverse('account_signup')}?email={found.email}")


@login_required
def account(request):
    saved = (
        SavedCaseStudy.objects.filter(
            user=request.user, case_study__in=CaseStudy.objects.published()
        )
        .select_related("case_study")
        .order_by("-saved_at")
    )
    return _private(render(request, "members/account.html", {"saved": saved}))


@login_required
def delete_account(request):
    """Delete the account and everything it holds (saved case studies, alerts, addresses)."""
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        with transaction.atomic():
            logout(request)
            user.delete()
        messages.success(request, "Your account and everything it held have been deleted.")
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "members/delete_account.html", {"form": form}, status=status))


@login_required
@require_POST
def save_case_study(request, slug):
    """Save a published case study to the account page, or (remove=1) take it off."""
    case_study = get_object_or_404(CaseStudy.objects.published(), slug=slug)
    if request.POST.get("remove"):
        SavedCaseStudy.objects.filter(user=request.user, case_study=case_study).delete()
        messages.success(request, f"“{case_study.title}” is no longer saved.")
    else:
        SavedCaseStudy.objects.get_or_create(user=request.user, case_study=case_study)
        messages.success(request, f"Saved “{case_study.title}” to your account.")
    target = request.POST.get("next")
    if target != reverse("members:account"):
        target = case_study.get_absolute_url()
    return redirect(target)


def _ask(request, *, contacts, about, about_url, back, **subject):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={about_url}")
    form = AskForm(request.POST)
    context = {"form": form, "about": about, "back": back, "sent": 0}
    if not contacts_with_email(contacts):
        context["refused"] = NOBODY_TO_WRITE_TO
        return _private(render(request, "members/ask.html", context, status=400))
    if not form.is_valid():
        return _private(render(request, "members/ask.html", context, status=400))
    try:
        context["sent"] = send_question(
            member=request.user,
            contacts=contacts,
            message=form.cleaned_data["message"],
            submission=form.cleaned_data["submission"],
            about=about,
            about_url=request.build_absolute_uri(about_url),
            **subject,
        )
    except AskRefused as refusal:
        context["refused"] = str(refusal)
        return _private(render(request, "members/ask.html", context, status=refusal.status))
    return _private(render(request, "members/ask.html", context))


def ask_case_study(request, slug):
    case_study = get_object_or_404(CaseStudy.objects.published(), slug=slug)
    return _ask(
        request,
        contacts=list(case_study.contacts.all()),
        about=f"“{case_study.title}”",
        about_url=case_study.get_absolute_url(),
        back=case_study.get_absolute_url(),
        case_study=case_study,
    )


def ask_organisation(request, slug):
    organisation = get_object_or_404(Organisation.objects.public(), slug=slug)
    return _ask(
        request,
        contacts=organisation.public_contacts(),
        about=f"the work of {organisation.name}",
        about_url=organisation.get_absolute_url(),
        back=organisation.get_absolute_url(),
        organisation=organisation,
    )
