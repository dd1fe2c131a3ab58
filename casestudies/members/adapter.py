"""django-allauth's adapter for members (settings.ACCOUNT_ADAPTER).

- Sign-up is open to addresses at member organisations' email domains and to invited ones
  (signup.py); anyone else is told how to become a member.
- Accounts made here are never staff.
- allauth's email (verification, password reset) goes through send_email(), so it is sent in
  the background like all the portal's email; allauth renders it, the task sends the text.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.html import format_html

from ..notifications.email import send_email
from . import signup


class MemberAccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        email = super().clean_email(email)
        request = _current_request()
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name != "account_signup":
            return email  # a member adding or changing an address is not signing up
        if not signup.may_sign_up(email, request):
            raise forms.ValidationError(
                format_html(
                    "Sign-up is open to people at the network's member organisations, with "
                    "an address at their email domain. If you work elsewhere, ask the network "
                    'for an invitation. <a href="{}">How to become a member</a>.',
                    reverse("members:join"),
                ),
                code="not_a_member_domain",
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user.is_staff = False
        user.is_superuser = False
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            signup.accept_invitation(request, user.email)
        return user

    def send_mail(self, template_prefix, email, context):
        request = _current_request()
        message_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        }
        message_context.update(context)
        message = self.render_mail(template_prefix, email, message_context)
        send_email(
            to=message.to,
            subject=message.subject,
            template="members/allauth",
            context={"text": message.body},
        )


def _current_request():
    """The request allauth is handling (its AccountMiddleware keeps it)."""
    return getattr(allauth_context, "request", None)
