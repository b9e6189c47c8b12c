from django.contrib import admin
from django.http import HttpRequest

from madang.priority.models import Peer


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    """A peer is added with `madang priority peer`, which checks its key; here it can be paused."""

    list_display = ("name", "origin", "active", "last_import_at", "last_error")
    readonly_fields = ("name", "origin", "vkey", "added_at", "last_import_at", "last_error")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
