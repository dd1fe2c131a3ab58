from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the portal in production: page cache, health checks, fault pages."""

    name = "coopnet.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import signals  # noqa: F401  (connects the cache invalidation receivers)
