from django.contrib.admin.apps import AdminConfig


class MadangAdminConfig(AdminConfig):
    """Django's admin on Madang's site class (the shared log-in throttle, re-authentication)."""

    default_site = "madang.people.admin_site.MadangAdminSite"
