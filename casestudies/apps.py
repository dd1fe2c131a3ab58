from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    # The admin's section and breadcrumb ("Home > Content > Case studies"), which read "Case
    # studies > Case studies" when the app had its main model's name.
    verbose_name = "Content"

    def ready(self):
        from easy_thumbnails.signal_handlers import generate_aliases
        from easy_thumbnails.signals import saved_file

        # Connect the receivers that keep versions, search documents and the cache in step, and
        # the one that emails the workflow's steps.
        from .caching import signals  # noqa: F401
        from .discovery import facets, indexing  # noqa: F401
        from .notifications import workflow  # noqa: F401
        from .publishing import history  # noqa: F401

        # Make the lead image's renditions (settings.THUMBNAIL_ALIASES) as soon as it is
        # uploaded, so that no visitor waits for them.
        saved_file.connect(generate_aliases, sender=self.get_model("CaseStudy"))
