"""The version of the public content, kept where the content is."""

from django.db import models


class ContentVersion(models.Model):
    """One row: the current content version (casestudies.caching.version).

    Every change to the content replaces it in the same transaction as the change, so content
    cannot be committed without a new version, whatever the cache is doing; everything kept
    under the old version (pages, cards, filter forms, facet indexes) is then bypassed.
    """

    value = models.CharField(max_length=32, help_text="Replaced by every content change.")
    changed_at = models.DateTimeField(help_text="When the content last changed.")

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return self.value
