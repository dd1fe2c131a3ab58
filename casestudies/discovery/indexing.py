"""Keep each case study's search document up to date (PostgreSQL; no-ops elsewhere).

A case study's document holds its own texts and the names of its organisations, themes and
contacts, so it is recomputed when any of those, or the links to them, change.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from ..models import CaseStudy, CaseStudyOrganisation, Contact, Organisation, Theme, ThemedCaseStudy
from .search import forget_words, update_search_documents, words_of


@receiver(post_save, sender=CaseStudy)
def case_study_saved(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        update_search_documents([instance.pk], using=using)


@receiver(post_save, sender=CaseStudyOrganisation)
@receiver(post_delete, sender=CaseStudyOrganisation)
@receiver(post_save, sender=ThemedCaseStudy)
@receiver(post_delete, sender=ThemedCaseStudy)
def link_changed(sender, instance, raw=False, using="default", **kwargs):
    if raw:
        return
    case_study_id = getattr(instance, "case_study_id", None) or getattr(
        instance, "content_object_id", None
    )
    update_search_documents([case_study_id], using=using)


@receiver(m2m_changed, sender=CaseStudy.contacts.through)
def contacts_changed(sender, instance, action, reverse, pk_set, using="default", **kwargs):
    if action == "pre_clear" and reverse:
        instance._search_case_study_ids = list(instance.case_studies.values_list("pk", flat=True))
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        update_search_documents([instance.pk], using=using)
    elif action == "post_clear":
        update_search_documents(getattr(instance, "_search_case_study_ids", []), using=using)
    else:
        update_search_documents(pk_set or [], using=using)


def _case_study_ids(instance):
    if isinstance(instance, Organisation):
        return instance.roles.values_list("case_study", flat=True)
    if isinstance(instance, Contact):
        return instance.case_studies.values_list("pk", flat=True)
    return ThemedCaseStudy.objects.filter(tag=instance).values_list("content_object", flat=True)


@receiver(post_save, sender=Organisation)
@receiver(post_save, sender=Contact)
@receiver(post_save, sender=Theme)
def name_saved(sender, instance, created, raw=False, using="default", **kwargs):
    if not raw and not created:
        update_search_documents(list(_case_study_ids(instance)), using=using)


@receiver(pre_delete, sender=Contact)
def contact_deleting(sender, instance, **kwargs):
    instance._search_case_study_ids = list(_case_study_ids(instance))


@receiver(post_delete, sender=Contact)
def contact_deleted(sender, instance, using="default", **kwargs):
    update_search_documents(getattr(instance, "_search_case_study_ids", []), using=using)


@receiver(pre_delete, sender=CaseStudy)
def case_study_deleting(sender, instance, using="default", **kwargs):
    instance._search_words = words_of([instance.pk], using=using)


@receiver(post_delete, sender=CaseStudy)
def case_study_deleted(sender, instance, using="default", **kwargs):
    forget_words(getattr(instance, "_search_words", []), using=using)
