"""Everything the portal holds about one person, to export it or erase it on request.

A person is a contact (the "For further information" person of a case study) or a member's
user account. What is held about them is found by following every foreign key that points at
their record, in every model of every app, history tables included, rather than from a list
kept by hand: a model added later (a message log, a saved list) is covered without a change
here. Added to that: the versions simple-history keeps of a contact (rows with the contact's id,
not a foreign key), the admin's log of changes to the record, records kept for the person's
address alone (a visitor's alert, an invitation: every email field of every model), and sign-in
attempts under a member's username or address.

Erasing removes the person's own record and its kept versions, deletes the rows that exist only
for them (their alerts, their editor membership, the links of kept case-study versions to the
contact) and empties the references that other records keep (who changed a case study, who
recorded a version). The content those records describe stays. The erasure is then recorded by
`PersonalDataRequest`, with the person's database id and how many records of each kind were
removed: nothing that names them. Text that merely mentions a person (a case study's body, a
pull quote's attribution) is not changed automatically: the export and the erasure page list it
for a publisher to edit.
"""

import datetime as dt
from collections import Counter

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import CaseStudy, Contact, MemberAccount, PersonalDataRequest

#: Fields never exported: secrets that give access, not information about the person.
SECRET_FIELDS = frozenset({"password", "key", "token", "secret", "session_key", "session_data"})

#: Longer texts (a case study's body in a kept version) are exported as their length only:
#: they are the content the person worked on, not data about them.
LONGEST_EXPORTED_TEXT = 1000

#: Foreign keys that only record a person's part in something else (who changed a case study,
#: who recorded a version): exported in brief, emptied on erasure.
HISTORY_USER_FIELDS = frozenset({"history_user", "created_by", "updated_by", "changed_by"})


def references(target):
    """(model, field) of every foreign key to `target`, in every installed model (automatic
    many-to-many tables and history tables included; proxies left out, their table is their
    concrete model's)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.many_to_one and field.related_model is target:
                found.append((model, field))
    return found


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > LONGEST_EXPORTED_TEXT:
        return f"({len(value)} characters of text)"
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def record(obj):
    """The concrete fields of `obj` as JSON values (foreign keys as ids), secrets left out."""
    return {
        field.attname: _plain(field.value_from_object(obj))
        for field in obj._meta.concrete_fields
        if field.name not in SECRET_FIELDS
    }


def _label(model):
    return model._meta.label


def _referring_records(target, pk, skip=()):
    """{model label: [records]} of every row pointing at (`target`, `pk`). A row that only says
    the person took part (who recorded a version of a case study) is given in brief."""
    found = {}
    for model, field in references(target):
        if _label(model) in skip:
            continue
        rows = model._default_manager.filter(**{field.attname: pk})
        if field.name in HISTORY_USER_FIELDS:
            entries = [
                {
                    "as": field.verbose_name,
                    "record": str(row),
                    "id": row.pk,
                    "date": _plain(getattr(row, "history_date", None)),
                }
                for row in rows
            ]
        else:
            entries = [record(row) for row in rows]
        if entries:
            found.setdefault(_label(model), []).extend(entries)
    return found


def _admin_log(models_, pk):
    """The admin's log of changes to the record (under its model, or a proxy of it)."""
    content_types = ContentType.objects.get_for_models(*models_, for_concrete_models=False)
    return LogEntry.objects.filter(content_type__in=content_types.values(), object_id=str(pk))


#: Apps whose rows with an address belong to an account (allauth's addresses): they go with the
#: account, never with a contact who happens to share the address.
ACCOUNT_APPS = frozenset({"account", "socialaccount"})


def held_under_address(email):
    """(model, rows) of every record kept for an address alone, with no key to the person: a
    visitor's alert, an invitation to sign up. Found by every email field of every model, so
    that a model added later is covered; the person's own records (a contact and its versions,
    a user account and its addresses) are left to the rest of this module."""
    if not email:
        return []
    own = {get_user_model(), Contact, Contact.history.model}
    found = []
    for model in apps.get_models():
        if model._meta.proxy or model in own or model._meta.app_label in ACCOUNT_APPS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.EmailField):
                found.append(
                    (model, model._default_manager.filter(**{f"{field.name}__iexact": email}))
                )
    return found


def _records_under_address(email):
    found = {}
    for model, rows in held_under_address(email):
        entries = [record(row) for row in rows]
        if entries:
            found.setdefault(_label(model), []).extend(entries)
    return found


def _erase_under_address(email, removed):
    for model, rows in held_under_address(email):
        count = rows.delete()[0]
        if count:
            removed[f"{model._meta.verbose_name_plural} kept for the address"] += count


def mentions(name):
    """Case studies whose texts mention `name` now, or did in a kept version: for a publisher
    to edit by hand (text is never rewritten automatically)."""
    name = (name or "").strip()
    if len(name) < 3:
        return []
    texts = ("title", "summary", "body", "pull_quote", "pull_quote_attribution")
    mentioning = Q()
    for text in texts:
        mentioning |= Q(**{f"{text}__icontains": name})
    now = set(CaseStudy.objects.filter(mentioning).values_list("pk", flat=True))
    before = set(CaseStudy.history.filter(mentioning).values_list("id", flat=True))
    found = CaseStudy.objects.filter(pk__in=now | before).order_by("title")
    return [
        {
            "id": case_study.pk,
            "title": case_study.title,
            "slug": case_study.slug,
            "mentions_now": case_study.pk in now,
            "mentioned_in_a_kept_version": case_study.pk in before,
        }
        for case_study in found
    ]


def export_contact(contact):
    """Everything held about a contact, as JSON values."""
    contact_versions = Contact.history.filter(id=contact.pk).order_by("history_date")
    case_studies = contact.case_studies.order_by("title")
    return {
        "person": "contact",
        "exported_at": timezone.now().isoformat(),
        "contact": record(contact),
        "versions": [record(version) for version in contact_versions],
        "case_studies": [
            {"id": c.pk, "title": c.title, "slug": c.slug, "status": c.status} for c in case_studies
        ],
        "case_study_versions_listing_the_contact": sorted(
            set(
                _case_study_version_contacts()
                .objects.filter(contact_id=contact.pk)
                .values_list("history_id", flat=True)
            )
        ),
        "admin_log": [record(entry) for entry in _admin_log([Contact], contact.pk)],
        "kept_for_this_address": _records_under_address(contact.email),
        "mentioned_in": mentions(contact.name),
        "other_records": _referring_records(
            Contact,
            contact.pk,
            skip={_label(CaseStudy.contacts.through), _label(_case_study_version_contacts())},
        ),
    }


def _case_study_version_contacts():
    """The contacts each kept version of a case study listed (simple-history's m2m table)."""
    return apps.get_model("casestudies", "HistoricalCaseStudy_contacts")


def _sign_in_records(user):
    names = {user.get_username(), user.email} - {""}
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        yield model, model.objects.filter(username__in=names)


def export_member(user):
    """Everything held about a user account, as JSON values."""
    User = get_user_model()
    sign_ins = {
        _label(model): [record(row) for row in rows] for model, rows in _sign_in_records(user)
    }
    return {
        "person": "member",
        "exported_at": timezone.now().isoformat(),
        "account": {
            **record(user),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "records": _referring_records(User, user.pk),
        "admin_log_of_the_account": [record(e) for e in _admin_log([User, MemberAccount], user.pk)],
        "kept_for_this_address": _records_under_address(user.email),
        "sign_in_attempts": {label: rows for label, rows in sign_ins.items() if rows},
    }


def _empty_references(target, pk, removed, keep=()):
    """Delete the rows that exist for the person alone, and empty the references that other
    records keep, following each foreign key's own rule; history tables, whose keys do nothing
    on deletion, are emptied (or, when the key cannot be empty, their rows deleted) as well."""
    for model, field in references(target):
        if _label(model) in keep:
            continue
        rows = model._default_manager.filter(**{field.attname: pk})
        rule = field.remote_field.on_delete
        # A history table's key does nothing on deletion: a link of a kept version (to the
        # contact) goes, a note of who recorded a version is emptied.
        kept_link = rule is models.DO_NOTHING and field.name not in HISTORY_USER_FIELDS
        if rule is models.CASCADE or kept_link or (rule is models.DO_NOTHING and not field.null):
            count = rows.count()
            rows.delete()
        elif field.null:
            count = rows.update(**{field.attname: None})
        else:
            continue  # PROTECT and the like: the delete itself will refuse
        if count:
            removed[f"{model._meta.verbose_name} ({field.verbose_name})"] += count


@transaction.atomic
def erase_contact(contact, by):
    """Remove `contact` everywhere it is held; the PersonalDataRequest recording it."""
    pk, email = contact.pk, contact.email
    removed = Counter({"contact": 1})
    _erase_under_address(email, removed)
    # Kept versions of case studies listed the contact: they no longer do. The live links go
    # with the contact itself (and its case studies' search documents are rebuilt).
    _empty_references(Contact, pk, removed, keep={_label(CaseStudy.contacts.through)})
    contact.skip_history_when_saving = True  # no last version of a record about to be erased
    contact.delete()
    removed["contact versions"] = Contact.history.filter(id=pk).delete()[0]
    removed["admin log entries"] = _admin_log([Contact], pk).delete()[0]
    return _recorded(PersonalDataRequest.Subject.CONTACT, pk, by, removed)


@transaction.atomic
def erase_member(user, by):
    """Delete the account `user` and what is held about it; the PersonalDataRequest recording
    it. Changes the member made to content stay, without their name."""
    User = get_user_model()
    pk = user.pk
    removed = Counter({"user account": 1})
    _erase_under_address(user.email, removed)
    for model, rows in _sign_in_records(user):
        removed[f"{model._meta.verbose_name_plural}"] += rows.delete()[0]
    _empty_references(User, pk, removed)
    removed["admin log entries"] = _admin_log([User, MemberAccount], pk).delete()[0]
    user.delete()
    return _recorded(PersonalDataRequest.Subject.MEMBER, pk, by, removed)


def _recorded(kind, pk, by, removed):
    return PersonalDataRequest.objects.create(
        action=PersonalDataRequest.Action.ERASURE,
        subject_kind=kind,
        subject_id=pk,
        handled_by=by,
        removed={name: count for name, count in sorted(removed.items()) if count},
    )


def export(kind, obj):
    """Everything held about the person `obj`, a record of the subject kind `kind`."""
    return {
        PersonalDataRequest.Subject.CONTACT: export_contact,
        PersonalDataRequest.Subject.MEMBER: export_member,
    }[kind](obj)


def erase(kind, obj, by):
    """Erase the person `obj`, a record of the subject kind `kind`; the request recording it."""
    return {
        PersonalDataRequest.Subject.CONTACT: erase_contact,
        PersonalDataRequest.Subject.MEMBER: erase_member,
    }[kind](obj, by)


def record_export(kind, pk, by):
    return PersonalDataRequest.objects.create(
        action=PersonalDataRequest.Action.EXPORT, subject_kind=kind, subject_id=pk, handled_by=by
    )


def erasable_accounts(user):
    """User accounts `user` may export and erase: a publisher, members' (never staff); a
    superuser, any account but their own."""
    accounts = get_user_model().objects.all()
    if user.is_superuser:
        return accounts.exclude(pk=user.pk)
    return accounts.filter(is_staff=False, is_superuser=False)
