"""The words of the published case studies, for typo-tolerant search."""

from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SearchWord(models.Model):
    """A word seen in some case study, for typo-tolerant search (PostgreSQL's pg_trgm).

    Filled on PostgreSQL only, as case studies are saved. A misspelt query word is replaced by
    the most similar words of this lexicon before the full-text search.
    """

    word = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["word"]
        indexes = [
            # Created on PostgreSQL only (see migration 0004).
            GinIndex(fields=["word"], name="searchword_trigram", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.word
