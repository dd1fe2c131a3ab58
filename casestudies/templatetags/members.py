"""Contacts as the viewer may see them, and the "Ask about this work" form.

Visibility is decided by the models (Contact.email_for / phone_for); this only lays it out for
templates/members/includes/contacts.html.
"""

from types import SimpleNamespace

from django import template

from ..members.forms import AskForm

register = template.Library()


@register.simple_tag
def contacts_for_viewer(contacts, user):
    contacts = list(contacts)
    shown = [
        SimpleNamespace(
            name=contact.name,
            role=contact.role,
            organisation=contact.organisation,
            shown_email=contact.email_for(user),
            shown_phone=contact.phone_for(user),
        )
        for contact in contacts
    ]
    askable = sum(1 for contact in contacts if contact.email)
    return SimpleNamespace(
        contacts=shown,
        members_see_more=not user.is_authenticated and any(c.members_see_more for c in contacts),
        askable=askable,
        can_ask=askable > 0,
    )


@register.simple_tag
def ask_form():
    return AskForm()


@register.simple_tag
def is_saved(case_study, user):
    """Whether this member saved this case study (one query; members' pages only)."""
    return user.is_authenticated and user.saved_case_studies.filter(case_study=case_study).exists()
