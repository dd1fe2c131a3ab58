"""Who may do what in the staff pages: publishers (a permission) and member editors (a
membership of one organisation). The rules built on these live in casestudies.publishing.roles.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models

from .organisations import Organisation

PUBLISHERS_GROUP = "Publishers"
MEMBER_EDITORS_GROUP = "Member editors"
PUBLISH_PERMISSION = "casestudies.publish_casestudy"


class EditorMembership(models.Model):
    """Makes a user a member editor of one organisation.

    A member editor (in the "Member editors" group) sees and drafts only the case studies in
    which this organisation has a role.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="editor_membership",
        help_text="The member editor.",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="editor_memberships",
        help_text="The organisation whose case studies the editor drafts.",
    )

    class Meta:
        ordering = ["organisation__name", "user__username"]

    def __str__(self):
        return f"{self.user} edits for {self.organisation}"

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()


def is_publisher(user):
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def editor_organisation(user):
    """The organisation `user` edits for, or None (remembered on the user object, which lives
    as long as its request)."""
    if not user or isinstance(user, AnonymousUser) or not user.is_active:
        return None
    membership = getattr(user, "_editor_membership_cache", None)
    if membership is None:
        membership = (
            EditorMembership.objects.select_related("organisation").filter(user=user).first()
        )
        user._editor_membership_cache = membership or False
    return membership.organisation if membership else None


class EditorInvitation(models.Model):
    """An invitation to become a member editor of one organisation, sent by a publisher.

    The link in the email is signed and expires (casestudies.publishing.invitations); this row
    makes it single-use: once `accepted_at` is set, the link answers that it has been used.
    """

    email = models.EmailField(help_text="Where the invitation goes; it becomes the sign-in name.")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="editor_invitations",
        help_text="The organisation whose case studies the new editor will draft.",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The publisher who sent the invitation.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was sent.")
    accepted_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the link was used (once only)."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The account made when the invitation was accepted.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "editor invitation"

    def __str__(self):
        return f"{self.email} to edit for {self.organisation}"

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()
