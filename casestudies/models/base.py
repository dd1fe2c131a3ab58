"""What every model staff edit shares."""

from django.db import models


class TimeStampedModel(models.Model):
    """Creation and last-change times, for every model that staff edit."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
