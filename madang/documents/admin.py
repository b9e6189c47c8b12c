from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
