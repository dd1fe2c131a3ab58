"""Who may do what with case studies: the two roles of the publishing workflow.

*Publishers* (network staff) hold the `casestudies.publish_casestudy` permission: they see every
case study and publish, unpublish and schedule. *Member editors* have an `EditorMembership`
linking them to one organisation: they draft that organisation's case studies and submit them
for review. A data migration creates both groups with their permissions.
"""

from django.contrib.auth.models import AnonymousUser

PUBLISHERS_GROUP = "Publishers"
MEMBER_EDITORS_GROUP = "Member editors"
PUBLISH_PERMISSION = "casestudies.publish_casestudy"


def is_publisher(user):
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def editor_organisation(user):
    """The organisation `user` edits for, or None."""
    if not user or isinstance(user, AnonymousUser) or not user.is_active:
        return None
    from .models import EditorMembership

    membership = getattr(user, "_editor_membership_cache", None)
    if membership is None:
        membership = (
            EditorMembership.objects.select_related("organisation").filter(user=user).first()
        )
        user._editor_membership_cache = membership or False
    return membership.organisation if membership else None


def allowed_statuses(user):
    """The statuses `user` may give a case study: publishers any, others draft or in review."""
    from .models import CaseStudy

    if is_publisher(user):
        return list(CaseStudy.Status)
    return [CaseStudy.Status.DRAFT, CaseStudy.Status.IN_REVIEW]


def can_edit(user, case_study):
    """Whether `user` may change `case_study`: publishers any; member editors their own
    organisation's, as long as it is not published (judged by what is in the database)."""
    from .models import CaseStudy

    if is_publisher(user):
        return True
    return (
        CaseStudy.objects.visible_to(user)
        .filter(pk=case_study.pk)
        .exclude(status=CaseStudy.Status.PUBLISHED)
        .exists()
    )


def sees_private_details(user, contact):
    """Whether `user` may see `contact`'s email and phone whatever the contact consented to:
    publishers, and member editors of the organisation the contact works for."""
    if is_publisher(user):
        return True
    organisation = editor_organisation(user)
    return organisation is not None and contact.organisation_id == organisation.pk
