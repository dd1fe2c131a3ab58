"""Replace the content version when public content changes, in the same transaction."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from ..models import ContentVersion
from .version import CONTENT_APPS, bump_content_version


@receiver(post_save, dispatch_uid="content_version_save")
@receiver(post_delete, dispatch_uid="content_version_delete")
@receiver(m2m_changed, dispatch_uid="content_version_m2m")
def content_changed(sender, using=None, **kwargs):
    if sender._meta.app_label not in CONTENT_APPS or sender is ContentVersion:
        return
    if not getattr(sender, "is_public_content", True):
        return  # records that no page shows (alerts, personal data requests)
    if sender.__name__.startswith("Historical"):
        return  # a kept version (simple-history) is written along with the change itself
    if sender._meta.apps is not apps:
        return  # a migration's historical model: migration 0010 sets the first version
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    bump_content_version(using=using)
