"""What the office configures (its letterhead, its edited forms) and what Madang produced."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madang.documents.catalogue import KINDS

KIND_CHOICES = [(k, k) for k in KINDS]


class Letterhead(models.Model):
    """The issuing organisation as its documents show it; one row (pk=1)."""

    org_name = models.CharField(_("organisation (행정기관명)"), max_length=100, default="한빛도")
    sender = models.CharField(_("sender (발신명의)"), max_length=100, default="한빛도지사")
    unit = models.CharField(_("issuing unit (처리과)"), max_length=100, default="혁신담당관")
    reviewer = models.CharField(_("reviewer line (검토자)"), max_length=100, blank=True)
    approver = models.CharField(_("approver line (결재권자)"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    homepage = models.CharField(_("homepage"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.CharField(_("e-mail"), max_length=200, blank=True)
    disclosure = models.CharField(_("disclosure (공개구분)"), max_length=100, default="공개")
    logo = models.BinaryField(_("logo (PNG or JPEG)"), blank=True, default=b"", editable=True)
    seal = models.BinaryField(_("seal image (PNG or JPEG)"), blank=True, default=b"", editable=True)
    updated_at = models.DateTimeField(default=timezone.now)


class Form(models.Model):
    """An edited form of one kind of document; without a row the form shipped in forms/ is used."""

    kind = models.CharField(max_length=40, choices=KIND_CHOICES, unique=True)
    text = models.TextField(_("form (TOML)"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)


class Batch(models.Model):
    """Documents produced together (the letters of one event), by a background job."""

    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=80, db_index=True, help_text="e.g. event:3, call:5")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]


class File(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    data = models.BinaryField()
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "name"], name="documents_file_name_once")]
