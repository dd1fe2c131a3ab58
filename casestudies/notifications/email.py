"""Sending email, always through a background task.

`send_email()` is the one way the portal sends mail. It enqueues `deliver_email`, which renders
`templates/email/<template>.txt` (and `<template>.html` when there is one) and sends the
message with Django's email backend. With the database task backend (production) the task is a
row written in the caller's transaction: if the request fails and rolls back, no email goes
out, and the request never waits for the mail server. A worker (`manage.py db_worker`,
docs/deploy.md) sends it. Under `make run` and in the tests the immediate backend sends it at
once, to the console or the test outbox.

Task arguments are stored as JSON, so `context` must hold JSON values (strings, numbers,
booleans, None, lists and dicts of them): pass the addresses and texts a template needs, not
model instances. That is checked here, in the request, so a mistake fails under the immediate
backend in tests exactly as it would in production.
"""

import json
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django_tasks import task

#: Template names are code, not input; this keeps them inside templates/email/.
TEMPLATE_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")


def send_email(*, to, subject, template, context, reply_to=(), headers=None):
    """Enqueue one email; returns the task result (its id, and status under immediate running).

    `to` and `reply_to` are an address or a list of addresses; `headers` extra headers (such as
    List-Unsubscribe). The subject is kept to one line.
    """
    recipients = _addresses(to)
    if not recipients:
        raise ValueError("send_email needs at least one recipient.")
    if not TEMPLATE_NAME.match(template):
        raise ValueError(f"Not an email template name: {template!r}")
    payload = {
        "to": recipients,
        "subject": " ".join(str(subject).split()),
        "template": template,
        "context": context,
        "reply_to": _addresses(reply_to),
        "headers": {str(name): str(value) for name, value in (headers or {}).items()},
    }
    try:
        payload = json.loads(json.dumps(payload))
    except (TypeError, ValueError) as error:
        raise TypeError(f"Email context must hold JSON values only: {error}") from error
    return deliver_email.enqueue(**payload)


def _addresses(value):
    if isinstance(value, str):
        value = [value]
    return [str(address) for address in value if str(address).strip()]


@task()
def deliver_email(*, to, subject, template, context, reply_to, headers):
    """Render and send one email (runs in the worker). Returns how many messages were sent."""
    text = _render(f"email/{template}.txt", context, autoescape=False)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
        headers=headers,
    )
    try:
        html = _render(f"email/{template}.html", context, autoescape=True)
    except TemplateDoesNotExist:
        html = None
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message.send(fail_silently=False)


def _render(name, context, *, autoescape):
    """Render a template; plain text is not HTML-escaped (a name with & stays an &)."""
    template = get_template(name).template  # the Django engine's own Template
    return template.render(Context(context, autoescape=autoescape))
