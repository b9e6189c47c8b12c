"""Checking uploaded files by name, size and content before anything is stored.

The extension decides the expected type; the bytes must then prove it (magic numbers, or for
images a full decode with Pillow, which also catches truncated files). The one check every upload
path uses: proposal attachments, lab journal files and event board photos.

Images are handled in three steps, in this order:

1. The dimensions are read from the header alone (`Image.open` is lazy) and anything over
   `MAX_PIXELS` is refused before a single pixel is decoded: a few hundred kilobytes of PNG can
   inflate to gigabytes (a "decompression bomb").
2. The image is decoded in full (a truncated or damaged file is refused).
3. It is re-encoded from its pixels with its EXIF orientation applied, so nothing else of the
   original file survives: EXIF (GPS position, camera owner, "Artist"), XMP, IPTC and PNG text
   chunks describe the person who took the photo and are served to anonymous visitors. Only the
   colour profile is kept. JPEG and WebP are re-encoded at quality 90.

The stored name never comes from the user; the original name is kept for display only, cut to
its last path segment whether the browser used "/" or "\\".
"""

import hashlib
import io
import warnings
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
# How each image format is written again (see the module's docstring).
ENCODE: dict[str, dict[str, object]] = {
    "PNG": {},
    "JPEG": {"quality": 90},
    "WEBP": {"quality": 90},
    "GIF": {},
}


def _refuse_bombs() -> None:
    from PIL import Image

    # Pillow's own guard, set to our limit: it warns past it and refuses past twice it. The warning
    # becomes an error for every caller, so no code path decodes an oversized image by accident.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


_refuse_bombs()


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


def _too_many_pixels() -> DomainError:
    return DomainError(
        _("The image is too large: at most %(mp)d megapixels.") % {"mp": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
        field="file",
    )


def clean_image(data: bytes, content_type: str) -> bytes:
    """The image's pixels re-encoded without metadata, orientation applied (see the module's
    docstring); DomainError if it is too large, damaged or not an image Pillow reads."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    damaged = DomainError(
        _("The file's content does not match its type, or it is damaged."), code="bad_content", field="file"
    )
    try:
        with Image.open(io.BytesIO(data)) as img:  # reads the header only
            if img.width * img.height > MAX_PIXELS:
                raise _too_many_pixels()
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format or ""
            if fmt not in ENCODE or Image.MIME.get(fmt) != content_type:  # a PNG named .jpg is refused
                raise damaged
            icc = img.info.get("icc_profile")
            frames = getattr(img, "n_frames", 1)
            img.load()  # verify() does not read the pixel data, so a truncated file would pass it
            out = io.BytesIO()
            options: dict[str, object] = dict(ENCODE[fmt])
            if icc:
                options["icc_profile"] = icc
            if frames > 1:  # an animation: every frame kept, orientation tags are not used there
                keep: dict[str | tuple[int, int], object] = {
                    k: img.info[k] for k in ("duration", "loop", "transparency", "background") if k in img.info
                }
                img.info = keep
                img.save(out, format=fmt, save_all=True, **options)
            else:
                upright = ImageOps.exif_transpose(img)
                upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
                upright.save(out, format=fmt, **options)
            return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise damaged from None


def content_matches(data: bytes, kind: str) -> bool:
    """For the kinds other than images, which `clean_image` checks."""
    if kind == "text":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in data
    return any(data.startswith(m) for m in MAGIC[kind])


def clean_name(name: str | None) -> str:
    """The last segment of a browser-supplied name, whichever separator it used."""
    return (name or "file").replace("\\", "/").rsplit("/", 1)[-1][-255:] or "file"


def check_upload(upload: UploadedFile, *, images_only: bool = False) -> CheckedUpload:
    name = clean_name(upload.name)
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
    if kind == "image" and data:
        data = clean_image(data, content_type)
    elif not data or not content_matches(data, kind):
        raise DomainError(
            _("The file's content does not match its type, or it is damaged."), code="bad_content", field="file"
        )
    return CheckedUpload(name, ext, content_type, data, hashlib.sha256(data).hexdigest())
