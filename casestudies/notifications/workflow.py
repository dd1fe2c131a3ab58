"""Email for the publishing workflow, sent when a case study's status changes.

- Submitted for review: every publisher, so that no draft waits unseen.
- Published (or scheduled), or sent back to draft: the member editors of the organisations
  taking part in it, who wrote it.

The hook is the status log itself: `CaseStudy.save` writes a `StatusChange` only when the
status changes, so saving a case study that is in review again and again sends nothing more,
whichever route saved it (the admin form, a bulk action, a command). The email is enqueued once
the transaction commits, so a change rolled back sends nothing. Whoever made the change is not
told of it. Each person gets a message of their own: no one sees another's address.

The templates get `comment`, the publisher's comment on the change ("Send back to draft" asks
for one; the status log keeps it).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from ..models import CaseStudy, CaseStudyOrganisation, EditorMembership, StatusChange
from ..publishing.roles import PUBLISH_PERMISSION
from .alerts import absolute
from .email import send_email

Status = CaseStudy.Status


@receiver(post_save, sender=StatusChange, dispatch_uid="workflow_notification")
def status_changed(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        pk = instance.pk
        # robust: a failure to enqueue is logged, and never turns a saved change into an error.
        transaction.on_commit(lambda: notify(pk), using=kwargs.get("using"), robust=True)


def notify(status_change_id):
    """Email the people the change concerns; how many emails were enqueued."""
    change = (
        StatusChange.objects.select_related("case_study", "changed_by")
        .filter(pk=status_change_id)
        .first()
    )
    if change is None:
        return 0
    kind = _kind(change)
    if kind is None:
        return 0
    recipients = publishers() if kind == "submitted" else editors_of(change.case_study)
    if change.changed_by_id:
        recipients = recipients.exclude(pk=change.changed_by_id)
    context = _context(change, kind)
    subject = {
        "submitted": "For review",
        "published": "Scheduled" if change.scheduled else "Published",
        "returned": "Back to draft",
    }[kind]
    sent = 0
    for address in sorted({user.email for user in recipients if user.email}):
        send_email(
            to=[address],
            subject=f"{subject}: {change.case_study.title}",
            template=f"workflow/{kind}",
            context=context,
        )
        sent += 1
    return sent


def _kind(change):
    if change.to_status == Status.IN_REVIEW and change.from_status != Status.IN_REVIEW:
        return "submitted"
    if change.to_status == Status.PUBLISHED and change.from_status != Status.PUBLISHED:
        return "published"
    if change.to_status == Status.DRAFT and change.from_status in (
        Status.IN_REVIEW,
        Status.PUBLISHED,
    ):
        return "returned"
    return None  # created as a draft: nobody to tell


def publishers():
    """Active users holding the publish permission (through a group, directly, or as
    superusers)."""
    app_label, codename = PUBLISH_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission)
        )
        .distinct()
    )


def editors_of(case_study):
    """Active member editors of the organisations taking part in `case_study`."""
    organisations = CaseStudyOrganisation.objects.filter(case_study=case_study).values(
        "organisation"
    )
    users = EditorMembership.objects.filter(organisation__in=organisations).values("user")
    return get_user_model().objects.filter(is_active=True, pk__in=users)


def _context(change, kind):
    case_study = change.case_study
    by = change.changed_by
    return {
        "kind": kind,
        "title": case_study.title,
        "status": change.get_to_status_display(),
        "changed_by": (by.get_full_name() or by.get_username()) if by else "",
        "changed_at": change.changed_at.strftime("%-d %B %Y, %H:%M"),
        "scheduled_for": change.publication_date.strftime("%-d %B %Y, %H:%M")
        if change.scheduled
        else "",
        "admin_url": absolute(reverse("admin:casestudies_casestudy_change", args=[case_study.pk])),
        "public_url": absolute(case_study.get_absolute_url())
        if kind == "published" and not change.scheduled
        else "",
        "comment": change.comment,
    }
