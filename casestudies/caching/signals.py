"""Replace the content version when public content changes, in the same transaction, saying
which case studies the change touched."""

import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
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
    when it cannot say (a link moved to another case study, a reverse relation cleared, a
    principle deleted)."""
    if isinstance(instance, CaseStudy):
        return {instance.pk}
    if kwargs.get("signal") is post_delete and sender is CaseStudy.principles.field.related_model:
        return None  # its links went with it, without signals (an auto-created table's rows)
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


# Writes that no signal reports. ---------------------------------------------------------------

_watching = ContextVar("index_writes", default=None)
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|WITH)\b", re.IGNORECASE)
_WRITE = re.compile(r'\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)', re.IGNORECASE)
_ASSIGNED = re.compile(r'(?:\bSET |, )("\w+") = ')  # the columns an UPDATE sets


class IndexWrites:
    """An execute wrapper noting whether a write statement reached the tables of case studies
    and their `LINKS` other than within a save, a delete or a many-to-many change of one of
    their rows (whose signals say which case studies were touched): a queryset's update() or
    bulk_create(), raw SQL. See `watching`."""

    def __init__(self):
        self.links = [model._meta.db_table for model in LINKS]
        self.case_studies = CaseStudy._meta.db_table
        # The columns of a case study's own row that the index reads: an update of others (its
        # search document, kept in step after each save) changes nothing of it.
        self.columns = {
            f'"{CaseStudy._meta.get_field(name).column}"'
            for name in ("id", "status", "published_at", "kind", "year")
        }
        self.depth = 0  # how many saves, deletes and changes of those rows are under way
        self.unsignalled = False

    def __call__(self, execute, sql, params, many, context):
        if self.depth <= 0 and not self.unsignalled and self.reaches_index(sql):
            self.unsignalled = True
        return execute(sql, params, many, context)

    def reaches_index(self, sql):
        """Whether `sql` writes a link, or a case study's row other than its search document."""
        target = _WRITE.match(sql)
        if target is None:  # not a write, or an unusual one: any mention of the tables
            return bool(_WRITES.match(sql)) and any(
                table in sql for table in [*self.links, self.case_studies]
            )
        statement, table = target.group(1).upper(), target.group(2).lower()
        if table in self.links or (table == self.case_studies and statement != "UPDATE"):
            return True
        if table != self.case_studies:
            return False
        assigned = set(_ASSIGNED.findall(sql))
        return not assigned or bool(assigned & self.columns)


@contextmanager
def watching(using):
    """Within, the writes made through `using`'s connection are watched (`IndexWrites`): what a
    staff page's request does, so that its content version can say which case studies it
    touched unless it wrote some without signals."""
    writes = IndexWrites()
    token = _watching.set(writes)
    try:
        with connections[using].execute_wrapper(writes):
            yield writes
    finally:
        _watching.reset(token)


@receiver(pre_save, dispatch_uid="index_writes_save_starts")
@receiver(pre_delete, dispatch_uid="index_writes_delete_starts")
@receiver(post_save, dispatch_uid="index_writes_save_ends")
@receiver(post_delete, dispatch_uid="index_writes_delete_ends")
@receiver(m2m_changed, dispatch_uid="index_writes_m2m")
def _signalled(sender, signal, **kwargs):
    """Count the saves, deletes and many-to-many changes of case studies and their links under
    way (a delete's collector sends every pre_delete, then deletes, then sends every
    post_delete)."""
    writes = _watching.get()
    if writes is None or (sender is not CaseStudy and sender not in LINKS):
        return
    if signal is m2m_changed:
        starts = kwargs["action"].startswith("pre_")
    else:
        starts = signal in (pre_save, pre_delete)
    writes.depth += 1 if starts else -1
