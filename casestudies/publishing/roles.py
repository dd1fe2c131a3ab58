"""Who may do what with case studies: the two roles of the publishing workflow.

*Publishers* (network staff) hold the `casestudies.publish_casestudy` permission: they see every
case study and publish, unpublish and schedule. *Member editors* have an `EditorMembership`
linking them to one organisation: they draft that organisation's case studies and submit them
for review. A data migration creates both groups with their permissions.
"""

from ..models import CaseStudy
from ..models.editors import (
    MEMBER_EDITORS_GROUP,
    PUBLISH_PERMISSION,
    PUBLISHERS_GROUP,
    editor_organisation,
    is_publisher,
)

__all__ = [
    "MEMBER_EDITORS_GROUP",
    "PUBLISHERS_GROUP",
    "PUBLISH_PERMISSION",
    "allowed_statuses",
    "can_edit",
    "editor_organisation",
    "is_publisher",
    "sees_private_details",
]


def allowed_statuses(user):
    """The statuses `user` may give a case study: publishers any, others draft or in review."""
    if is_publisher(user):
        return list(CaseStudy.Status)
    return [CaseStudy.Status.DRAFT, CaseStudy.Status.IN_REVIEW]


def can_edit(user, case_study):
    """Whether `user` may change `case_study`: publishers any; member editors their own
    organisation's, as long as it is not published (judged by what is in the database)."""
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
