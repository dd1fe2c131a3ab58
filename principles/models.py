from django.db import models
from django.urls import reverse


class PrincipleQuerySet(models.QuerySet):
    def with_case_study_counts(self):
        """Annotate each principle with how many *published* case studies meet it."""
        from casestudies.models import CaseStudy

        published = CaseStudy.objects.published().filter(principles=models.OuterRef("pk"))
        counter = (
            published.order_by().values("principles").annotate(n=models.Count("pk")).values("n")
        )
        return self.annotate(
            case_study_count=models.functions.Coalesce(
                models.Subquery(counter, output_field=models.IntegerField()), 0
            )
        )


class Principle(models.Model):
    """One of the network's co-operative principles: content that staff manage, not code."""

    title = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    statement = models.TextField(help_text='The principle in the network\'s words ("We will ...").')
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Principles are listed in this order, lowest first."
    )

    objects = PrincipleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("principles:principle_detail", kwargs={"slug": self.slug})


class Commitment(models.Model):
    """A commitment that spells out a principle (Walking the talk lists six)."""

    principle = models.ForeignKey(
        Principle,
        on_delete=models.CASCADE,
        related_name="commitments",
        help_text="The principle this commitment belongs to.",
    )
    title = models.CharField(max_length=120)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["principle", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["principle", "title"], name="unique_commitment_title_per_principle"
            )
        ]

    def __str__(self):
        return f"{self.title}: {self.text}"
