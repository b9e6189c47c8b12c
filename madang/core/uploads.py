"""Checking uploaded files by name, size and content before anything is stored.

The extension decides the expected type; the bytes must then prove it (magic numbers, or
for images a full decode with Pillow, which also catches truncated files and decompression
bombs). The stored name never comes from the user.
"""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from madang.core.errors import DomainError

ALLOWED = {
    # extension: (content type, how to check the content)
    ".png": ("image/png", "image"),
    ".jpg": ("image/jpeg", "image"),
    ".jpeg": ("image/jpeg", "image"),
    ".gif": ("image/gif", "image"),
    ".webp": ("image/webp", "image"),
    ".pdf": ("application/pdf", "pdf"),
    ".hwp": ("application/x-hwp", "hwp"),
    ".hwpx": ("application/hwp+zip", "zip"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "zip"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "zip"),
    ".txt": ("text/plain", "text"),
}
MAGIC = {
    "pdf": (b"%PDF-",),
    "zip": (b"PK\x03\x04",),
    "hwp": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),  # HWP 5 is an OLE compound file
}
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    extension: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def content_matches(data: bytes, kind: str) -> bool:
    if kind == "image":
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as img:
                img.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()  # verify() does not read the pixel data, so a truncated file would pass it
                return img.width * img.height <= MAX_PIXELS
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            return False
    if kind == "text":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in data
    return any(data.startswith(m) for m in MAGIC[kind])


def check_upload(upload: UploadedFile, *, images_only: bool = False) -> CheckedUpload:
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][-255:]
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    allowed = {e: v for e, v in ALLOWED.items() if v[1] == "image"} if images_only else ALLOWED
    if ext not in allowed:
        raise DomainError(
            _("This file type is not accepted. Accepted: %(types)s") % {"types": ", ".join(sorted(allowed))},
            code="bad_type",
            field="file",
        )
    limit = settings.MADANG_ATTACHMENT_MAX_BYTES
    too_large = DomainError(
        _("The file is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}, code="too_large", field="file"
    )
    if upload.size is None or upload.size > limit:
        raise too_large
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    content_type, kind = allowed[ext]
    if not data or not content_matches(data, kind):
        raise DomainError(_("The file's content does not match its type, or it is damaged."), code="bad_content", field="file")
    return CheckedUpload(name, ext, content_type, data, hashlib.sha256(data).hexdigest())
