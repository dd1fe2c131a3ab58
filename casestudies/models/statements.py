"""Principle statements that an imported write-up cites but no principle holds.

The network's write-ups cite principles beyond the ones the portal knows. An import keeps each
statement it could not match, so that the public page never quietly claims fewer principles
than its source: a publisher either makes the statement a principle (and every case study that
cites it is linked to the new principle) or dismisses it for that case study. A case study with
a statement still undecided cannot be published.
"""

from django.conf import settings
from django.db import models

from .casestudies import CaseStudy


class UnrecognisedStatementQuerySet(models.QuerySet):
    def undecided(self):
        return self.filter(dismissed_at__isnull=True)

    def grouped(self):
        """One row per wording (`key`), with how many case studies cite it, most cited first."""
        return (
            self.undecided()
            .values("key")
            .annotate(
                case_study_count=models.Count("case_study", distinct=True),
                text=models.Min("text"),
                title=models.Max("title"),
                first_seen=models.Min("created_at"),
            )
            .order_by("-case_study_count", "key")
        )


class UnrecognisedStatement(models.Model):
    """One "Principles met" entry of an imported write-up that matched no principle."""

    case_study = models.ForeignKey(
        CaseStudy,
        on_delete=models.CASCADE,
        related_name="unrecognised_statements",
        help_text="The case study whose source cites the statement.",
    )
    title = models.CharField(max_length=250, blank=True, help_text="The entry's title, if any.")
    text = models.TextField(help_text="The statement as the write-up gives it.")
    key = models.CharField(
        max_length=255,
        db_index=True,
        help_text="The wording folded for comparison (case, quotes, spaces): equal keys are "
        "the same statement.",
    )
    source = models.CharField(max_length=255, blank=True, help_text="The file it came from.")
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The publisher who decided the statement is not a principle of this work.",
    )

    objects = UnrecognisedStatementQuerySet.as_manager()

    class Meta:
        ordering = ["case_study", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case_study", "key"], name="unique_statement_per_case")
        ]

    def __str__(self):
        return self.title or self.text[:80]

    @property
    def label(self):
        return f"{self.title}: {self.text}" if self.title and self.text else self.title or self.text
