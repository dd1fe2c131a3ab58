"""Email alerts' pages: subscribe to a list, confirm, unsubscribe, and a member's own alerts.

The case-study list links here with its own query string (a plain link, the same for everyone,
so the list stays in the page cache); these pages depend on the visitor and carry CSRF tokens,
so none of them is ever cached. Bad links (forged, cut short, expired, replayed) get a page
that says what happened and what to do, never an error.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import Alert
from ..notifications import alerts


class AlertForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Alert.Frequency.choices,
        initial=Alert.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, member=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        if member:
            del self.fields["email"]
        else:
            self.fields["email"].required = True


def _member(user):
    return user.is_authenticated and bool(user.email)


def _page(request, title, message, status=200, **context):
    return render(
        request,
        "alerts/message.html",
        {"title": title, "message": message, **context},
        status=status,
    )


@never_cache
def alert_create(request):
    """ "Email me new case studies like these": the filters come in the query string."""
    try:
        query, description, _ = alerts.read_filters(request.GET)
    except alerts.InvalidAlert as error:
        return render(
            request,
            "alerts/alert_invalid.html",
            {"message": str(error), "filter": error.filterset},
            status=400,
        )
    member = _member(request.user)
    form = AlertForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        frequency = form.cleaned_data["frequency"]
        if member:
            alert, created = alerts.subscribe_member(request.user, query, frequency)
            return _page(
                request,
                "Alert saved" if created else "Alert updated",
                f"We will email {request.user.email} {alert.get_frequency_display().lower()} "
                "when new case studies like these are published.",
                alert=alert,
                manage=True,
            )
        alerts.subscribe_visitor(form.cleaned_data["email"], query, frequency)
        return _page(
            request,
            "Check your email",
            f"If the address is right, a message is on its way to "
            f"{form.cleaned_data['email']} with a link to confirm the alert. Nothing else is sent "
            f"until you follow it. The link works for {alerts.CONFIRMATION_DAYS} days.",
        )
    list_url = reverse("casestudies:casestudy_list") + (f"?{query}" if query else "")
    return render(
        request,
        "alerts/alert_form.html",
        {"form": form, "description": description, "list_url": list_url, "member": member},
        status=400 if form.errors else 200,
    )


@never_cache
def alert_confirm(request, token):
    """A visitor's confirmation link: a button to confirm (a mail scanner that follows links
    confirms nothing), then the alert is on."""
    try:
        alert = alerts.alert_to_confirm(token)
    except alerts.BadLink as error:
        return _bad_link(request, error)
    if alert.confirmed_at is not None:
        return _page(request, "Alert already confirmed", _confirmed_text(alert), alert=alert)
    if request.method == "POST":
        alerts.confirm(alert)
        return _page(request, "Alert confirmed", _confirmed_text(alert), alert=alert)
    return render(request, "alerts/confirm.html", {"alert": alert})


def _confirmed_text(alert):
    return (
        f"We will email {alert.address} {alert.get_frequency_display().lower()} when new case "
        "studies like these are published. Every email has a link to stop them."
    )


@never_cache
@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" with no cookie; the
# signed token in the address is what authorises it.
def alert_unsubscribe(request, token):
    """Unsubscribe, signed out: the link of every alert email and its List-Unsubscribe header.
    A GET shows a button (link scanners must not unsubscribe anyone); a POST cancels."""
    try:
        alert = alerts.alert_to_unsubscribe(token)
    except alerts.BadLink as error:
        return _bad_link(request, error)
    if alert is None:
        return _page(request, "Unsubscribed", "This alert is cancelled: we send it no more.")
    if request.method == "POST":
        alerts.unsubscribe(alert)
        return _page(
            request,
            "Unsubscribed",
            f"We will not email {alert.address} about “{alert.description}” again.",
        )
    return render(request, "alerts/unsubscribe.html", {"alert": alert})


def _bad_link(request, error):
    return _page(
        request,
        "This link has expired" if error.expired else "This link does not work",
        f"{error} You can set up an alert again from any list of case studies.",
        status=400,
    )


@never_cache
@login_required
def alert_list(request):
    """A member's alerts (the account page includes the same list)."""
    return render(request, "alerts/alert_list.html")


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(reverse("alerts:alert_list"))


@never_cache
@login_required
@require_POST
def alert_delete(request, pk):
    alert = get_object_or_404(Alert, pk=pk, user=request.user)
    alert.delete()
    messages.success(request, f"Alert cancelled: {alert.description}.")
    return _back(request)


@never_cache
@login_required
@require_POST
def alert_frequency(request, pk):
    alert = get_object_or_404(Alert, pk=pk, user=request.user)
    frequency = request.POST.get("frequency")
    if frequency in Alert.Frequency.values:
        alert.frequency = frequency
        alert.save(update_fields=["frequency"])
        messages.success(request, f"Alert now {alert.get_frequency_display().lower()}.")
    else:
        messages.error(request, "Choose daily or weekly.")
    return _back(request)
