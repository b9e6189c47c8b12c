"""Access and destruction records in the admin: to read only (no add, change or delete), and
reading the access records there is itself recorded."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from madang.privacy import services
from madang.privacy.kinds import ACCESS_RECORDS
from madang.privacy.models import AccessRecord, Action, DestructionRecord


class ReadOnly(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnly):
    list_display = ("n", "at", "actor_name", "address", "action", "kind", "subject_id", "scope", "count", "reason")
    list_filter = ("action", "kind")
    search_fields = ("actor_name", "kind", "scope")

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        shown = getattr(response, "context_data", {}).get("cl")
        services.record(
            request,
            action=Action.SEARCH if request.GET.get("q") else Action.VIEW,
            kind=ACCESS_RECORDS,
            count=len(shown.result_list) if shown is not None else 0,
        )
        return response


@admin.register(DestructionRecord)
class DestructionRecordAdmin(ReadOnly):
    list_display = ("at", "kind", "count", "retention", "basis")
    list_filter = ("kind",)
