from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse

from madang.core import accessrecords
from madang.people import services
from madang.people.auth import signed_in
from madang.people.models import ApiToken, Organisation, RoleGrant, User

ACCOUNTS = "people.accounts"  # the kind of personal data (madang/privacy/kinds.py)


@admin.register(User)
class MadangUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "kind", "department", "grade", "title", "is_active")
    list_filter = ("kind", "grade", "is_active")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Madang", {"fields": ("display_name", "kind", "department", "grade", "title", "language", "email_mode")}),
    )

    # Accounts are personal data: each look, search, change and deletion goes to the access
    # records (madang/privacy, reached through core.accessrecords: people sits below it).
    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        shown = getattr(response, "context_data", None) or {}
        if "cl" in shown:
            accessrecords.note(
                request,
                action="search" if request.GET.get("q") else "view",
                kind=ACCOUNTS,
                count=len(shown["cl"].result_list),
            )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if object_id.isdigit() and response.status_code in (200, 302):
            action = "edit" if request.method == "POST" and response.status_code == 302 else "view"
            accessrecords.note(request, action=action, kind=ACCOUNTS, subject=int(object_id))
        return response

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        accessrecords.note(request, action="delete", kind=ACCOUNTS, subject=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for pk in ids:
            accessrecords.note(request, action="delete", kind=ACCOUNTS, subject=pk)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "name_en")
    readonly_fields = ("path",)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "call", "granted_at")
    list_filter = ("role",)
    autocomplete_fields = ("user", "organisation")

    # Grants go through the services, which check who may grant and record who did.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = signed_in(request)
        if change:
            services.revoke_role(actor=actor, grant=RoleGrant.objects.get(pk=obj.pk))
        saved = services.grant_role(
            actor=actor, user=obj.user, role=obj.role, organisation=obj.organisation, call=obj.call
        )
        obj.pk, obj.granted_by, obj.granted_at = saved.pk, saved.granted_by, saved.granted_at

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.revoke_role(actor=signed_in(request), grant=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for grant in queryset:
            services.revoke_role(actor=signed_in(request), grant=grant)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("digest", "prefix")
