from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from madang.documents import rules, services
from madang.documents.forms import FormForm, LetterheadForm
from madang.documents.models import Form, Letterhead


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    form = LetterheadForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Letterhead.objects.exists()


@admin.register(Form)
class FormAdmin(admin.ModelAdmin):
    form = FormForm
    list_display = ["kind", "updated_at", "updated_by"]

    # Forms change what every office document says: only administrators, and through the services.
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_edit_forms(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return rules.can_edit_forms(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_edit_forms(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_edit_forms(request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = services.save_form(actor=request.user, kind=obj.kind, text=obj.text)
        obj.pk, obj.updated_by, obj.updated_at = saved.pk, saved.updated_by, saved.updated_at

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.reset_form(actor=request.user, kind=obj.kind)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for form in queryset:
            services.reset_form(actor=request.user, kind=form.kind)
