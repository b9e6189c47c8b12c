import io
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image as PILImage

from madang.documents import catalogue
from madang.documents.models import Form, Letterhead
from madang.documents.render.templating import TemplateError
from madang.documents.services import template_message


class FormForm(forms.ModelForm):
    """An edited form is refused here, when it is saved, if it would not make a valid document."""

    class Meta:
        model = Form
        fields = ["kind", "text"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        kind, text = data.get("kind"), data.get("text")
        if kind and text:
            try:
                catalogue.check_text(str(kind), str(text))
            except TemplateError as exc:
                self.add_error("text", template_message(exc))
        return data


def _image(upload: UploadedFile) -> bytes:
    raw = upload.read()
    if len(raw) > 2 * 1024 * 1024:
        raise forms.ValidationError(_("The image is larger than 2 MB."))
    try:
        with PILImage.open(io.BytesIO(raw)) as img:
            img.verify()
            fmt = img.format
    except Exception as exc:
        raise forms.ValidationError(_("This is not a PNG or JPEG image.")) from exc
    if fmt not in ("PNG", "JPEG"):
        raise forms.ValidationError(_("This is not a PNG or JPEG image."))
    return raw


class LetterheadForm(forms.ModelForm):
    logo_file = forms.FileField(label=gettext_lazy("logo (PNG or JPEG)"), required=False)
    seal_file = forms.FileField(label=gettext_lazy("seal image (PNG or JPEG)"), required=False)
    remove_logo = forms.BooleanField(label=gettext_lazy("remove the logo"), required=False)
    remove_seal = forms.BooleanField(label=gettext_lazy("remove the seal image"), required=False)

    class Meta:
        model = Letterhead
        fields = [
            "org_name",
            "sender",
            "unit",
            "reviewer",
            "approver",
            "postcode",
            "address",
            "homepage",
            "phone",
            "fax",
            "email",
            "disclosure",
        ]

    def clean_logo_file(self) -> bytes | None:
        f = self.cleaned_data.get("logo_file")
        return _image(f) if f else None

    def clean_seal_file(self) -> bytes | None:
        f = self.cleaned_data.get("seal_file")
        return _image(f) if f else None

    def clean(self) -> dict[str, Any] | None:
        # The images go on the instance beside the other fields (construct_instance only sets
        # Meta.fields, so these stay); the admin saves it (no write here).
        cleaned = super().clean()
        for name in ("logo", "seal"):
            if self.cleaned_data.get(f"remove_{name}"):
                setattr(self.instance, name, b"")
            elif self.cleaned_data.get(f"{name}_file"):
                setattr(self.instance, name, self.cleaned_data[f"{name}_file"])
        return cleaned
