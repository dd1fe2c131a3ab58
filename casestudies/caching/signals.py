"""Replace the content version when public content changes, in the same transaction."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from ..models import CaseStudy, CaseStudyOrganisation, ContentVersion, ThemedCaseStudy
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
    bump_content_version(using=using, changed=touched_case_studies(sender, **kwargs))


# The links whose rows say which case studies meet a principle, involve an organisation or are
# about a theme (what the facet index is made of, with the case studies' own rows): the field
# naming the case study in each.
LINKS = {
    CaseStudy.principles.through: "casestudy_id",
    CaseStudyOrganisation: "case_study_id",
    ThemedCaseStudy: "content_object_id",
}


def touched_case_studies(sender, instance=None, **kwargs):
    """The pks of the case studies whose own row or links (`LINKS`) this change may have
    touched: an empty set when it touched none (a principle's or an organisation's name); None
    when it cannot say (a link moved to another case study, or a reverse relation cleared)."""
    if isinstance(instance, CaseStudy):
        return {instance.pk}
    if "action" in kwargs:  # m2m_changed: case studies added to or removed from another's
        if kwargs.get("model") is CaseStudy:
            pks = kwargs.get("pk_set")
            return None if pks is None else set(pks)
        return set()
    if sender in LINKS:
        if kwargs.get("created") is False:  # a saved link may have left its case study
            return None
        return {getattr(instance, LINKS[sender])}
    return set()
