from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from madang.people.models import ApiToken, Organisation, RoleGrant, User


@admin.register(User)
class MadangUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "kind", "department", "grade", "title", "is_active")
    list_filter = ("kind", "grade", "is_active")
    search_fields = ("username", "display_name", "email")
    fieldsets = (*UserAdmin.fieldsets, ("Madang", {"fields": ("display_name", "kind", "department", "grade", "title", "language", "email_mode")}))


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("digest", "prefix")
