"""Email in the background (issue 14, point 6), end to end against a real SMTP server.

`send_email()` enqueues a task; the task renders templates/email/<name>.txt (and .html when
there is one) and sends the message. The tests run it with the immediate backend (as under
`make run`) and with the database backend and its worker (as in production).
"""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from casestudies.notifications.email import send_email
from tests.smtp import free_port


@pytest.fixture
def email_templates(settings, tmp_path):
    """Two test templates: `greeting` (text and HTML) and `plain` (text only)."""
    folder = tmp_path / "templates" / "email"
    folder.mkdir(parents=True)
    (folder / "greeting.txt").write_text("Hello {{ name }},\nabout {{ topic }}.\n")
    (folder / "greeting.html").write_text("<p>Hello {{ name }}, about {{ topic }}.</p>\n")
    (folder / "plain.txt").write_text("Just text for {{ name }}.\n")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return folder


def test_an_email_reaches_a_real_smtp_server(smtp_server, email_templates, settings):
    settings.DEFAULT_FROM_EMAIL = "CoopNet <no-reply@coopnet.example>"
    result = send_email(
        to=["ann@council.example"],
        subject="A question\nabout your work",
        template="greeting",
        context={"name": "Ann <Lee>", "topic": "Fish & Chips"},
        reply_to=["bob@member.example"],
        headers={"List-Unsubscribe": "<https://coopnet.example/unsubscribe/x/>"},
    )

    assert result.status == "SUCCESSFUL"
    [message] = smtp_server.messages
    assert message.envelope_to == ["ann@council.example"]
    assert message["To"] == "ann@council.example"
    assert message["From"] == "CoopNet <no-reply@coopnet.example>"
    assert message["Reply-To"] == "bob@member.example"
    assert message["Subject"] == "A question about your work"  # one line: no header injection
    assert message["List-Unsubscribe"] == "<https://coopnet.example/unsubscribe/x/>"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content()
    assert "Hello Ann <Lee>,\nabout Fish & Chips." in text  # plain text is not HTML-escaped
    assert "<p>Hello Ann &lt;Lee&gt;, about Fish &amp; Chips.</p>" in html


def test_without_an_html_template_the_email_is_plain_text(smtp_server, email_templates):
    send_email(to="ann@council.example", subject="Hi", template="plain", context={"name": "Ann"})

    [message] = smtp_server.messages
    assert not message.is_multipart()
    assert message.get_content().strip() == "Just text for Ann."


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_sends_it_once(smtp_server, email_templates, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    result = send_email(to="ann@council.example", subject="Hi", template="plain", context={})

    assert result.status == "READY"
    assert smtp_server.messages == []  # nothing is sent in the request
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    assert len(smtp_server.messages) == 1
    result.refresh()
    assert result.status == "SUCCESSFUL"

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    assert len(smtp_server.messages) == 1  # never sent twice


def test_a_mail_server_that_is_down_fails_the_task_not_the_caller(settings, email_templates):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2

    result = send_email(to="ann@council.example", subject="Hi", template="plain", context={})

    assert result.status == "FAILED"
    assert "ConnectionRefusedError" in result.errors[0].exception_class_path


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"to": [], "template": "plain", "context": {}}, ValueError),
        ({"to": "a@b.example", "template": "../secrets", "context": {}}, ValueError),
        ({"to": "a@b.example", "template": "plain", "context": {"when": object()}}, TypeError),
    ],
    ids=["no recipient", "template outside email/", "context not JSON"],
)
def test_a_mistake_in_the_call_fails_at_once_and_sends_nothing(arguments, error, email_templates):
    with pytest.raises(error):
        send_email(subject="Hi", **arguments)
    assert mail.outbox == []


def test_under_the_default_test_settings_mail_goes_to_the_outbox(email_templates):
    send_email(to="ann@council.example", subject="Hi", template="plain", context={"name": "A"})

    assert [message.to for message in mail.outbox] == [["ann@council.example"]]
