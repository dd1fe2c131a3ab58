from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Installed in place of `django.contrib.admin`, so that `admin.site` is the scoped
    `coopnet.adminsite.StaffSite`."""

    default_site = "coopnet.adminsite.StaffSite"
