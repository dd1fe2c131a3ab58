"""Email alerts: "email me new case studies like these" for any filtered or searched list.

An alert is the list's query string (its filters: principles, match, organisation, theme, kind,
year, words), checked and put in a canonical order by the list's own filter set
(casestudies/discovery/filters.py), so that a digest finds exactly what the list would show.

- Members subscribe signed in: their account's address is already confirmed. Visitors give an
  address and follow the link emailed to it (double opt-in); until then nothing else is sent.
- Links carry signed tokens (django.core.signing): a confirmation link expires after
  CONFIRMATION_DAYS; an unsubscribe link works signed out for as long as the alert exists, and
  names the alert by its id *and* its creation time, so a link never reaches a later alert that
  happens to get the same id.
- `send_digests(frequency)` (the `send_digests` command, run by cron or a systemd timer) sends
  each confirmed alert of that frequency the published case studies that became public since
  its last digest and match its filters; nothing when nothing is new. Alerts never confirmed
  are deleted once their link has expired. Each alert's window is
  claimed (its `covered_until` moved on) in the same transaction that enqueues its email, so
  two runs at once, or a run repeated, never send a case study twice.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from ..discovery.filters import CaseStudyFilter, chips
from ..models import Alert, CaseStudy, StatusChange
from .email import send_email

logger = logging.getLogger(__name__)

#: The list's parameters an alert keeps: its filters (not the sort order, not the page).
FILTER_PARAMETERS = ("q", "principle", "match", "organisation", "theme", "kind", "year")
CONFIRMATION_DAYS = 7
#: A visitor asking again for the same alert gets a new confirmation link at most this often.
RESEND_AFTER = timedelta(minutes=10)
#: At most this many confirmation emails go to one address a day, whatever lists it asks for: the
#: form cannot be used to flood someone else's inbox.
CONFIRMATIONS_PER_ADDRESS_A_DAY = 5
#: The most case studies one digest lists (with a link to the whole list beyond).
DIGEST_LIMIT = 20

CONFIRM_SALT = "casestudies.alerts.confirm"
UNSUBSCRIBE_SALT = "casestudies.alerts.unsubscribe"


class InvalidAlert(ValueError):
    """The filters cannot make an alert; `filterset` holds the form's errors (if any)."""

    def __init__(self, message, filterset=None):
        super().__init__(message)
        self.filterset = filterset


class BadLink(ValueError):
    """A token that is forged, damaged, expired, or names an alert that is gone."""

    def __init__(self, message, expired=False):
        super().__init__(message)
        self.expired = expired


# The saved list ----------------------------------------------------------------------------


def read_filters(query):
    """(canonical query string, description, filterset) of the list's filters in `query` (a
    QueryDict or a query string); InvalidAlert when they are not valid filters of the list."""
    if isinstance(query, str):
        if len(query) > Alert._meta.get_field("query").max_length:
            raise InvalidAlert("These filters are too long to save as an alert.")
        query = QueryDict(query)
    kept = QueryDict(mutable=True)
    for name in FILTER_PARAMETERS:
        values = [value for value in query.getlist(name) if value != ""]
        if values:
            kept.setlist(name, sorted(values) if name == "principle" else values[:1])
    canonical = kept.urlencode()
    if len(canonical) > Alert._meta.get_field("query").max_length:
        raise InvalidAlert("These filters are too long to save as an alert.")
    filterset = CaseStudyFilter(kept, queryset=CaseStudy.objects.published())
    if not filterset.is_valid():
        raise InvalidAlert("Some filters could not be used.", filterset)
    labels = [label for label, _ in chips(filterset, kept)]
    if filterset.cleaned("principle") and len(filterset.cleaned("principle")) > 1:
        labels.append("meeting all of these principles" if filterset.match_all else "any of them")
    description = "; ".join(labels) or "All case studies"
    return canonical, description[: Alert._meta.get_field("description").max_length], filterset


def list_url(alert):
    path = reverse("casestudies:casestudy_list")
    return absolute(f"{path}?{alert.query}" if alert.query else path)


def absolute(path):
    """An address people can follow from an email: settings.SITE_URL and `path`."""
    return settings.SITE_URL.rstrip("/") + path


# Tokens ------------------------------------------------------------------------------------


def _stamp(alert):
    return int(alert.created_at.timestamp() * 1_000_000)


def confirm_token(alert):
    return signing.dumps([alert.pk, _stamp(alert)], salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(alert):
    return signing.dumps([alert.pk, _stamp(alert)], salt=UNSUBSCRIBE_SALT, compress=True)


def _alert_for(token, salt, max_age=None):
    """The alert a token names; BadLink if the token is not ours, too old, or its alert is gone
    (None is returned for a well-formed link to an alert that no longer exists)."""
    try:
        pk, stamp = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadLink("This link has expired.", expired=True) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadLink("This link is not one we sent, or it was cut short.") from error
    if not isinstance(pk, int) or not isinstance(stamp, int):
        raise BadLink("This link is not one we sent, or it was cut short.")
    alert = Alert.objects.select_related("user").filter(pk=pk).first()
    if alert is None or _stamp(alert) != stamp:
        return None
    return alert


def alert_to_confirm(token):
    alert = _alert_for(token, CONFIRM_SALT, max_age=timedelta(days=CONFIRMATION_DAYS))
    if alert is None:
        raise BadLink("This alert was cancelled, or its link has expired.", expired=True)
    return alert


def alert_to_unsubscribe(token):
    """The alert, or None when it is already cancelled (unsubscribing twice is fine)."""
    return _alert_for(token, UNSUBSCRIBE_SALT)


def unsubscribe_headers(alert):
    """RFC 2369 and RFC 8058: mail programs offer "Unsubscribe" and POST it, one click."""
    url = absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(alert)]))
    return url, {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# Subscribing -------------------------------------------------------------------------------


@transaction.atomic
def subscribe_member(user, query, frequency):
    """Save (or update) a member's alert: confirmed at once, their address being their
    account's. Returns (alert, created)."""
    canonical, description, _ = read_filters(query)
    now = timezone.now()
    alert, created = Alert.objects.select_for_update().get_or_create(
        user=user,
        query=canonical,
        defaults={
            "description": description,
            "frequency": frequency,
            "confirmed_at": now,
            "covered_until": now,
        },
    )
    if not created and alert.frequency != frequency:
        alert.frequency = frequency
        alert.save(update_fields=["frequency"])
    return alert, created


@transaction.atomic
def subscribe_visitor(email, query, frequency):
    """Save a visitor's alert, unconfirmed, and email the confirmation link (unless one went
    out in the last RESEND_AFTER, or the alert is confirmed already: then nothing is sent, and
    the visitor is told the same thing, so the page reveals nothing about an address).
    Returns the alert."""
    canonical, description, _ = read_filters(query)
    email = email.strip()
    alert, _ = Alert.objects.select_for_update().get_or_create(
        user=None,
        email__iexact=email,
        query=canonical,
        defaults={"email": email, "description": description, "frequency": frequency},
    )
    now = timezone.now()
    if alert.confirmed_at is not None:
        return alert
    if alert.confirmation_sent_at and now - alert.confirmation_sent_at < RESEND_AFTER:
        return alert
    sent_today = Alert.objects.filter(
        user=None, email__iexact=email, confirmation_sent_at__gte=now - timedelta(days=1)
    ).count()
    if sent_today >= CONFIRMATIONS_PER_ADDRESS_A_DAY:
        logger.warning("Alert confirmations to one address capped for the day (alert %s)", alert.pk)
        return alert
    alert.frequency = frequency
    alert.confirmation_sent_at = now
    alert.save(update_fields=["frequency", "confirmation_sent_at"])
    unsubscribe_url, headers = unsubscribe_headers(alert)
    send_email(
        to=[alert.email],
        subject="Confirm your case study alert",
        template="alerts/confirm",
        context={
            "description": alert.description,
            "frequency": alert.get_frequency_display().lower(),
            "confirm_url": absolute(reverse("alerts:confirm", args=[confirm_token(alert)])),
            "list_url": list_url(alert),
            "unsubscribe_url": unsubscribe_url,
            "days": CONFIRMATION_DAYS,
        },
        headers=headers,
    )
    return alert


def confirm(alert):
    """Confirm a visitor's alert; False if it was confirmed already (a replayed link)."""
    now = timezone.now()
    return bool(
        Alert.objects.filter(pk=alert.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, covered_until=now
        )
    )


def unsubscribe(alert):
    """Cancel an alert; False if it was gone already."""
    return bool(Alert.objects.filter(pk=alert.pk).delete()[0])


# Digests -----------------------------------------------------------------------------------


def became_public_between(since, until):
    """Published case studies that became public after `since`, up to `until`: the later of
    their publication date and the first time they were published (so a case study published
    with an old date counts when it was published, and one unpublished and published again is
    not new a second time)."""
    first_published = (
        StatusChange.objects.filter(case_study=OuterRef("pk"), to_status=CaseStudy.Status.PUBLISHED)
        .order_by("changed_at", "pk")
        .values("changed_at")[:1]
    )
    return (
        CaseStudy.objects.published(now=until)
        .annotate(
            public_since=Greatest(
                F("published_at"), Coalesce(Subquery(first_published), F("published_at"))
            )
        )
        .filter(public_since__gt=since, public_since__lte=until)
    )


def new_for(alert, since, until):
    """What the alert's digest lists: the list's own filters over what became public in the
    window, newest first; None when the saved filters are no longer valid."""
    filterset = CaseStudyFilter(
        QueryDict(alert.query), queryset=became_public_between(since, until)
    )
    if not filterset.is_valid():
        return None
    return filterset.filter_queryset_except(filterset.queryset).newest_first()


def send_digests(frequency, now=None):
    """Send the digests of every confirmed alert of `frequency`, and forget visitors' alerts left
    unconfirmed past their link's life; {"sent": n, "nothing new": n, "invalid": n,
    "skipped": n, "failed": n, "unconfirmed removed": n}."""
    until = now or timezone.now()
    counts = {"sent": 0, "nothing new": 0, "invalid": 0, "skipped": 0}
    # Addresses never confirmed are not kept: their links have expired anyway.
    counts["unconfirmed removed"] = Alert.objects.filter(
        confirmed_at__isnull=True, created_at__lt=until - timedelta(days=CONFIRMATION_DAYS)
    ).delete()[0]
    alerts = Alert.objects.confirmed().filter(frequency=frequency).select_related("user")
    counts["failed"] = 0
    for alert in alerts.order_by("pk").iterator():
        try:
            counts[_send_digest(alert, until)] += 1
        except Exception:
            # Its transaction is rolled back, window included: the next run tries it again.
            # One alert's failure does not hold up everyone else's digest.
            logger.exception("Alert %s: digest not sent", alert.pk)
            counts["failed"] += 1
    return counts


def _send_digest(alert, until):
    since = alert.covered_until or alert.confirmed_at
    if since >= until:
        return "nothing new"
    if alert.user_id and not (alert.user.is_active and alert.user.email):
        return "skipped"
    with transaction.atomic():
        # Claim the window: a concurrent or repeated run finds it taken and sends nothing.
        claimed = Alert.objects.filter(pk=alert.pk, covered_until=alert.covered_until).update(
            covered_until=until
        )  # (covered_until=None matches an empty one)
        if not claimed:
            return "skipped"
        found = new_for(alert, since, until)
        if found is None:
            logger.warning("Alert %s has filters the list no longer accepts: skipped", alert.pk)
            return "invalid"
        case_studies = list(found[: DIGEST_LIMIT + 1])
        if not case_studies:
            return "nothing new"
        Alert.objects.filter(pk=alert.pk).update(last_sent_at=until)
        unsubscribe_url, headers = unsubscribe_headers(alert)
        shown = case_studies[:DIGEST_LIMIT]
        send_email(
            to=[alert.address],
            subject=_digest_subject(alert, len(shown), more=len(case_studies) > len(shown)),
            template="alerts/digest",
            context={
                "description": alert.description,
                "frequency": alert.get_frequency_display().lower(),
                "case_studies": [
                    {
                        "title": case_study.title,
                        "summary": case_study.summary,
                        "url": absolute(case_study.get_absolute_url()),
                    }
                    for case_study in shown
                ],
                "more": len(case_studies) > len(shown),
                "list_url": list_url(alert),
                "unsubscribe_url": unsubscribe_url,
                "manage_url": absolute(reverse("alerts:alert_list")) if alert.user_id else "",
            },
            headers=headers,
        )
        return "sent"


def _digest_subject(alert, n, more):
    count = f"{n}+" if more else str(n)
    noun = "case study" if n == 1 and not more else "case studies"
    return f"{count} new {noun}: {alert.description}"
