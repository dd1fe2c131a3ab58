"""The versions of a case study: its fields, principles and contacts (simple-history) and also
its themes and organisation roles, which simple-history cannot follow by itself (themes are
taggit tags; roles are rows with a role of their own).

- Every version records the themes' names and the (organisation id, role) pairs it had at that
  moment (`remember_links`).
- A change to the themes or roles made outside the admin (a script, an import) records a new
  version, as simple-history does for principles and contacts.
- A save in the admin records exactly one version, once the form, its links and its inlines are
  all saved (`CaseStudyAdmin.save_model` holds history back, `finish_version` records it), and
  reverting to a version restores its themes and roles too (`restore_links`).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from ..models import CASE_STUDY_HISTORY, CaseStudy, CaseStudyOrganisation, ThemedCaseStudy


def current_links(case_study):
    """(theme names, [[organisation id, role], ...]) of a saved case study, sorted."""
    themes = sorted(
        set(
            ThemedCaseStudy.objects.filter(content_object=case_study).values_list(
                "tag__name", flat=True
            )
        )
    )
    roles = sorted(
        [organisation_id, role]
        for organisation_id, role in CaseStudyOrganisation.objects.filter(
            case_study=case_study
        ).values_list("organisation_id", "role")
    )
    return themes, roles


@receiver(pre_create_historical_record, sender=CaseStudy.history.model)
def remember_links(sender, instance, history_instance, **kwargs):
    history_instance.theme_names, history_instance.organisation_roles = current_links(instance)


def hold_history(case_study):
    """Record no version for the changes that follow, until `finish_version`."""
    case_study.skip_history_when_saving = True


def finish_version(case_study, history_type="~", user=None):
    """Record one version of `case_study` as it now is, links included."""
    if hasattr(case_study, "skip_history_when_saving"):
        del case_study.skip_history_when_saving
    if user is not None:
        case_study._history_user = user
    CASE_STUDY_HISTORY.create_historical_record(case_study, history_type)


def restore_links(case_study, version):
    """Give `case_study` the themes and organisation roles `version` had (its fields,
    principles and contacts are restored by the admin form). A version kept before they were
    recorded leaves them as they are."""
    if version.theme_names is not None:
        case_study.themes.set(version.theme_names)
    if version.organisation_roles is None:
        return
    wanted = {(organisation_id, role) for organisation_id, role in version.organisation_roles}
    for role in CaseStudyOrganisation.objects.filter(case_study=case_study):
        if (role.organisation_id, role.role) in wanted:
            wanted.discard((role.organisation_id, role.role))
        else:
            role.case_study = case_study  # the same object, so its held history is seen
            role.delete()
    for organisation_id, role in sorted(wanted):
        CaseStudyOrganisation.objects.create(
            case_study=case_study, organisation_id=organisation_id, role=role
        )


def _held(case_study):
    return hasattr(case_study, "skip_history_when_saving")


@receiver(m2m_changed, sender=ThemedCaseStudy, dispatch_uid="history_themes_changed")
def themes_changed(sender, instance, action, reverse, **kwargs):
    if (
        action in ("post_add", "post_remove", "post_clear")
        and not reverse
        and isinstance(instance, CaseStudy)
        and not _held(instance)
    ):
        CASE_STUDY_HISTORY.create_historical_record(instance, "~")


@receiver(post_save, sender=CaseStudyOrganisation, dispatch_uid="history_role_saved")
@receiver(post_delete, sender=CaseStudyOrganisation, dispatch_uid="history_role_deleted")
def role_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw:
        return  # loading a fixture or a backup: the backup holds the history
    if origin is not None and getattr(origin, "model", type(origin)) is not CaseStudyOrganisation:
        return  # deleted along with its case study or its organisation
    case_study = instance.case_study
    if not _held(case_study):
        CASE_STUDY_HISTORY.create_historical_record(case_study, "~")
