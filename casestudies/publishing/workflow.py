"""The workflow's steps, as buttons: who may take which, from where, and what a case study needs
before it is published.

The admin's change page shows one button per step the user may take (`available`); the POST
names the step, and the admin checks it again here (`allowed`) before saving anything, so a
crafted POST meets the same rules as the buttons. Publishing and scheduling also need the case
study to be ready (`missing_for_publication`); drafts may stay incomplete.
"""

from dataclasses import dataclass

from django.utils import timezone

from ..models import CaseStudy, CaseStudyOrganisation
from .roles import can_edit, is_publisher

Status = CaseStudy.Status


@dataclass(frozen=True)
class Step:
    """One button: its POST value, its label, where it may start and where it leads."""

    name: str
    label: str
    from_statuses: tuple
    to_status: str
    publishers_only: bool
    #: Whether the case study must be complete (`missing_for_publication`) to take it.
    needs_ready: bool = False
    #: Whether the publisher must say why (shown to the editor).
    needs_comment: bool = False
    description: str = ""


SUBMIT = Step(
    "submit",
    "Submit for review",
    (Status.DRAFT,),
    Status.IN_REVIEW,
    publishers_only=False,
    description="Saves your changes and sends the case study to the publishers.",
)
PUBLISH = Step(
    "publish",
    "Publish",
    (Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED),
    Status.PUBLISHED,
    publishers_only=True,
    needs_ready=True,
    description="Saves and makes it public now.",
)
SCHEDULE = Step(
    "schedule",
    "Schedule",
    (Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED),
    Status.PUBLISHED,
    publishers_only=True,
    needs_ready=True,
    description="Saves and makes it public at the publication date above (in the future).",
)
SEND_BACK = Step(
    "send_back",
    "Send back to draft",
    (Status.IN_REVIEW, Status.PUBLISHED),
    Status.DRAFT,
    publishers_only=True,
    needs_comment=True,
    description="Takes it out of review (or off the site) and tells the editor why.",
)
STEPS = {step.name: step for step in (SUBMIT, PUBLISH, SCHEDULE, SEND_BACK)}


def _applies(step, user, case_study):
    status = case_study.status if case_study is not None else Status.DRAFT
    if status not in step.from_statuses:
        return False
    if step is PUBLISH and case_study is not None and case_study.is_public:
        return False  # already live: nothing to publish
    if step is SEND_BACK and case_study is None:
        return False
    if step.publishers_only:
        return is_publisher(user)
    # Submitting for review is the member editors' step; publishers publish.
    return not is_publisher(user)


def available(user, case_study):
    """The steps `user` may take on `case_study` (None for a new one), in button order."""
    if case_study is not None and not can_edit(user, case_study):
        return []
    return [step for step in STEPS.values() if _applies(step, user, case_study)]


def allowed(user, case_study, name):
    """The step called `name` if `user` may take it on `case_study` as it is saved now; else
    None. `case_study` must be the saved object (or None when adding), never the form's."""
    step = STEPS.get(name)
    if step is None:
        return None
    return step if step in available(user, case_study) else None


def missing_for_publication(case_study):
    """What a public page needs and `case_study` (saved, with its links) lacks, as sentences
    saying what to add; empty when it is ready."""
    missing = []
    if not (case_study.summary or "").strip():
        missing.append("a summary")
    if not case_study.principles.exists():
        missing.append("at least one principle it meets")
    if not case_study.roles.filter(
        role__in=[CaseStudyOrganisation.Role.COUNCIL, CaseStudyOrganisation.Role.LEAD]
    ).exists():
        missing.append("the council the work was for (or the lead member), under Organisations")
    if not case_study.year:
        missing.append("the year of the work")
    if case_study.lead_image and not (case_study.lead_image_alt or "").strip():
        missing.append("alt text for the lead image")
    if case_study.has_undecided_statements():
        # The page must not claim fewer principles than its source without staff deciding.
        missing.append(
            "a publisher's decision on each principle statement its import could not match "
            "(make it a principle or dismiss it, under Unrecognised statements)"
        )
    return missing


def take(step, user, case_study, comment="", when=None):
    """Move the saved `case_study` along `step`, recording who did it and why; returns what
    happened, as a sentence for the message. The caller has checked `allowed` and readiness."""
    now = timezone.now()
    case_study.status = step.to_status
    if step is PUBLISH:
        if case_study.published_at is None or case_study.published_at > now:
            case_study.published_at = now
    elif step is SCHEDULE:
        case_study.published_at = when
    case_study.updated_by = user
    case_study._history_user = user
    case_study._status_comment = comment
    case_study.save()
    title = case_study.title
    if step is SUBMIT:
        return f"“{title}” was submitted for review. A publisher will look at it next."
    if step is PUBLISH:
        return f"“{title}” is published: it is on the public site now."
    if step is SCHEDULE:
        when = timezone.localtime(case_study.published_at)
        return f"“{title}” is scheduled: it will be published on {when:%d %b %Y at %H:%M}."
    return f"“{title}” was sent back to draft. Its editor will see your comment."
