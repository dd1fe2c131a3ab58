"""The admin home's first panel: what needs the signed-in person now.

A publisher sees the review queue (oldest first) with its count; a member editor sees their
organisation's drafts, what was sent back and why, and what is waiting for a publisher; a staff
account that is neither is told why it sees no case studies. `templates/admin/index.html`
shows it above the list of models.
"""

from django import template
from django.db.models import OuterRef, Subquery

from casestudies.models import CaseStudy, StatusChange
from casestudies.publishing.roles import editor_organisation, is_publisher

register = template.Library()

#: How many case studies each list shows; the count and a link to the full list say the rest.
LISTED = 10


def _with_last_change(queryset):
    """Each case study with its latest status change's comment and author's name."""
    latest = StatusChange.objects.filter(case_study=OuterRef("pk")).order_by("-changed_at", "-pk")
    return queryset.annotate(
        last_comment=Subquery(latest.values("comment")[:1]),
        last_to_status=Subquery(latest.values("to_status")[:1]),
        last_changed_by=Subquery(latest.values("changed_by__username")[:1]),
        last_changed_at=Subquery(latest.values("changed_at")[:1]),
    )


@register.inclusion_tag("admin/includes/staff_dashboard.html", takes_context=True)
def staff_dashboard(context):
    user = context["request"].user
    if is_publisher(user):
        queue = _with_last_change(CaseStudy.objects.waiting_for_review())
        return {"role": "publisher", "queue": list(queue[:LISTED]), "queue_count": queue.count()}
    organisation = editor_organisation(user)
    if organisation is None:
        return {"role": "unlinked"}
    mine = _with_last_change(CaseStudy.objects.visible_to(user)).order_by("-updated_at", "-pk")
    drafts = list(mine.filter(status=CaseStudy.Status.DRAFT)[: LISTED * 2])
    sent_back = [d for d in drafts if d.last_to_status == d.Status.DRAFT and d.last_comment]
    return {
        "role": "editor",
        "organisation": organisation,
        "sent_back": sent_back,
        "drafts": [d for d in drafts if d not in sent_back][:LISTED],
        "in_review": list(mine.filter(status=CaseStudy.Status.IN_REVIEW)[:LISTED]),
    }
