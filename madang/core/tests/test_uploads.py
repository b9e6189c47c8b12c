"""김민지 attaches photos to her proposal: a photo bomb is refused from its header alone, and what
the camera wrote about her (where, who) never reaches the visitors who open the attachment."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageFile, PngImagePlugin

from madang.calls import services
from madang.core import uploads
from madang.core.errors import DomainError

GPS_IFD, ARTIST, ORIENTATION = 0x8825, 0x013B, 0x0112
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description dc:creator="Kim Minji"/></x:xmpmeta>'


def bomb_png(width: int, height: int) -> bytes:
    """A real PNG of `width` × `height` black grey pixels that weighs a few hundred kilobytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    squeeze = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + one grey byte per pixel, all zero
    idat = b"".join(squeeze.compress(row * 256) for _ in range(height // 256)) + squeeze.compress(row * (height % 256))
    idat += squeeze.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def tagged_jpeg() -> bytes:
    """40 × 20 pixels, left half red, taken "rotated": EXIF orientation 6 (turn 90° clockwise to view)."""
    img = Image.new("RGB", (40, 20), "blue")
    img.paste(Image.new("RGB", (20, 20), "red"), (0, 0))
    exif = Image.Exif()
    exif[ARTIST] = "Kim Minji"
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (37.0, 33.0, 58.0), 3: "E", 4: (126.0, 58.0, 40.0)})
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, xmp=XMP, quality=95)
    return out.getvalue()


def tagged_png() -> bytes:
    text = PngImagePlugin.PngInfo()
    text.add_text("Artist", "Kim Minji")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    exif = Image.Exif()
    exif[ARTIST] = "Kim Minji"
    out = io.BytesIO()
    Image.new("RGB", (30, 10), "green").save(out, format="PNG", pnginfo=text, exif=exif)
    return out.getvalue()


@pytest.fixture
def no_decoding(monkeypatch):
    """Any attempt to decode pixels fails the test."""

    def refuse(self, *args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(Image.Image, "load", refuse)


@pytest.mark.parametrize(("width", "height"), [(8_000, 7_500), (12_000, 12_000)])
def test_it_refuses_an_image_bomb_from_its_header_without_decoding_it(cast, settings, no_decoding, width, height):
    """60 and 144 megapixels (between Pillow's warning and its error, and past both) in under 200 KB."""
    data = bomb_png(width, height)
    assert len(data) < 200_000
    p = cast.proposal()
    with pytest.raises(DomainError) as refused:
        services.add_attachment(actor=cast.minji, proposal=p, upload=SimpleUploadedFile("현장.png", data))
    assert refused.value.code == "too_many_pixels"
    assert "50" in str(refused.value.message)
    assert p.attachments.count() == 0


def test_it_says_so_in_korean_on_the_page(cast):
    p = cast.proposal(submit=False)
    minji = Client(HTTP_ACCEPT_LANGUAGE="ko")
    minji.force_login(cast.minji)
    r = minji.post(f"/calls/p/{p.pk}/attachments/", {"file": SimpleUploadedFile("현장.png", bomb_png(8_000, 7_500))})
    assert r.status_code == 400
    assert "메가픽셀" in r.content.decode()


def test_it_removes_gps_artist_and_xmp_from_a_jpeg_and_turns_it_upright(cast):
    p = cast.proposal()
    a = services.add_attachment(actor=cast.minji, proposal=p, upload=SimpleUploadedFile("현장.jpg", tagged_jpeg()))
    served = b"".join(Client().get(f"/calls/attachments/{a.pk}/").streaming_content)  # an anonymous visitor
    assert served == a.file.open("rb").read()
    assert b"Kim Minji" not in served
    with Image.open(io.BytesIO(served)) as img:
        assert img.format == "JPEG" and a.content_type == "image/jpeg"
        assert dict(img.getexif()) == {} and "xmp" not in img.info
        assert img.size == (20, 40)  # orientation 6 applied: the picture now stands
        red, blue = img.convert("RGB").getpixel((10, 5)), img.convert("RGB").getpixel((10, 35))
    assert red[0] > 200 and red[2] < 60  # the red half went to the top when turned clockwise
    assert blue[2] > 200 and blue[0] < 60
    assert a.size == len(served)


def test_it_removes_text_chunks_and_exif_from_a_png(cast):
    p = cast.proposal()
    a = services.add_attachment(actor=cast.minji, proposal=p, upload=SimpleUploadedFile("표.png", tagged_png()))
    stored = a.file.open("rb").read()
    assert b"Kim Minji" not in stored and b"tEXt" not in stored and b"iTXt" not in stored and b"eXIf" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.size == (30, 10) and img.convert("RGB").getpixel((5, 5)) == (0, 128, 0)


def test_it_refuses_a_png_named_as_a_jpeg():
    with pytest.raises(DomainError) as refused:
        uploads.check_upload(SimpleUploadedFile("사진.jpg", tagged_png()))
    assert refused.value.code == "bad_content"


@pytest.mark.parametrize("name", ["C:\\Users\\김민지\\바탕 화면\\계획서.pdf", "../../etc/계획서.pdf", "계획서.pdf"])
def test_it_keeps_only_the_last_segment_of_a_name_whatever_the_separator(cast, name):
    p = cast.proposal()
    a = services.add_attachment(actor=cast.minji, proposal=p, upload=SimpleUploadedFile(name, b"%PDF-1.7\n"))
    assert a.original_name == "계획서.pdf"
