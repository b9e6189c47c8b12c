from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from madang.people import services
from madang.people.auth import signed_in
from madang.people.models import ApiToken, Organisation, RoleGrant, User


@admin.register(User)
class MadangUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "kind", "department", "grade", "title", "is_active")
    list_filter = ("kind", "grade", "is_active")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Madang", {"fields": ("display_name", "kind", "department", "grade", "title", "language", "email_mode")}),
    )


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
