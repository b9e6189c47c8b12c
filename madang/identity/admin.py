from django.contrib import admin

from madang.identity.models import ExternalIdentity, IdentityProvider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "protocol", "organisation", "citizen_verification", "password_sign_in", "is_active")
    list_filter = ("protocol", "citizen_verification", "is_active")
    search_fields = ("name", "slug", "issuer")


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "provider", "first_seen", "last_seen")
    list_filter = ("provider",)
    readonly_fields = ("provider", "subject", "user", "first_seen", "last_seen")
