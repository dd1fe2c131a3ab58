"""Empty the page cache when public content changes."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .version import CONTENT_APPS, bump_content_version


@receiver(post_save, dispatch_uid="ops_pagecache_save")
@receiver(post_delete, dispatch_uid="ops_pagecache_delete")
@receiver(m2m_changed, dispatch_uid="ops_pagecache_m2m")
def content_changed(sender, **kwargs):
    if sender._meta.app_label not in CONTENT_APPS:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    bump_content_version()
    # Again once the transaction commits: a page rendered meanwhile from the old data must not
    # be cached under the new version.
    transaction.on_commit(bump_content_version, using=kwargs.get("using"))
