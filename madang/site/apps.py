from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site on top of the domains: home and health pages, the demo, operations commands."""

    name = "madang.site"
    label = "site"
    verbose_name = "Madang site"
