from django.core.exceptions import ValidationError
from django.db import models

from coopnet.urls_kept import kept_reverse

#: Addresses under /principles/ that are pages of their own, so no principle may take them.
RESERVED_SLUGS = frozenset({"coverage"})


def validate_free_slug(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            "“%(slug)s” is the address of another page (/principles/%(slug)s/): choose another.",
            params={"slug": slug},
        )


class Principle(models.Model):
    """One of the network's co-operative principles: content that staff manage, not code."""

    class Colour(models.TextChoices):
        """A palette whose every shade reads at WCAG AA contrast on white and on its own tint."""

        SLATE = "slate", "Slate (default)"
        BLUE = "blue", "Blue"
        AMBER = "amber", "Amber"
        PURPLE = "purple", "Purple"
        CRIMSON = "crimson", "Crimson"
        GREEN = "green", "Green"
        TEAL = "teal", "Teal"
        MAGENTA = "magenta", "Magenta"

    class Icon(models.TextChoices):
        """Symbols drawn in static/img/icons.svg; always shown next to the principle's title."""

        CHECK = "check", "Tick in a circle (default)"
        PEOPLE = "people", "Two people"
        BULB = "bulb", "Light bulb"
        BOOK = "book", "Open book"
        HEART = "heart", "Heart"
        HOUSE = "house", "House"
        LINK = "link", "Linked rings"
        STEPS = "steps", "Footsteps"
        STAR = "star", "Star"
        LEAF = "leaf", "Leaf"

    title = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True, validators=[validate_free_slug])
    statement = models.TextField(help_text='The principle in the network\'s words ("We will ...").')
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Principles are listed in this order, lowest first."
    )
    colour = models.CharField(
        max_length=20,
        choices=Colour.choices,
        default=Colour.SLATE,
        blank=True,
        help_text="Marks the principle across the site, always together with its icon and title. "
        "Left empty, the principle gets the default.",
    )
    icon = models.CharField(
        max_length=20,
        choices=Icon.choices,
        default=Icon.CHECK,
        blank=True,
        help_text="A symbol shown beside the principle's title; never used alone. "
        "Left empty, the principle gets the default.",
    )

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.colour = self.colour or self.Colour.SLATE
        self.icon = self.icon or self.Icon.CHECK
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return kept_reverse("principles:principle_detail", slug=self.slug)


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
