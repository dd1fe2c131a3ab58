"""The publishing flow (issue 15): a comment on a status change (a publisher sending a case
study back says why), editor invitations, and the slug help text that lost its placeholder."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0016_reading_dates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="statuschange",
            name="comment",
            field=models.TextField(
                blank=True,
                help_text="Why: a publisher's note to the editor when sending a case study back.",
            ),
        ),
        migrations.AlterField(
            model_name="casestudy",
            name="slug",
            field=models.SlugField(
                help_text="Part of the address: /case-studies/the-slug/. Filled in from the title; "
                "lowercase letters, numbers and hyphens.",
                max_length=250,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalcasestudy",
            name="slug",
            field=models.SlugField(
                help_text="Part of the address: /case-studies/the-slug/. Filled in from the title; "
                "lowercase letters, numbers and hyphens.",
                max_length=250,
            ),
        ),
        migrations.CreateModel(
            name="EditorInvitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "email",
                    models.EmailField(
                        help_text="Where the invitation goes; it becomes the sign-in name.",
                        max_length=254,
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, help_text="When it was sent."),
                ),
                (
                    "accepted_at",
                    models.DateTimeField(
                        blank=True,
                        editable=False,
                        help_text="When the link was used (once only).",
                        null=True,
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        help_text="The publisher who sent the invitation.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        help_text="The organisation whose case studies the new editor will draft.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="editor_invitations",
                        to="casestudies.organisation",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        help_text="The account made when the invitation was accepted.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "editor invitation",
                "ordering": ["-created_at", "-pk"],
            },
        ),
    ]
