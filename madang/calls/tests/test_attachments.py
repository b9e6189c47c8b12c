import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from madang.calls import services
from madang.calls.models import Attachment, PhaseKind
from madang.core.errors import DomainError, Forbidden
from madang.testing import set_phase


def png(size: int = 64) -> bytes:
    rnd = random.Random(7)  # noise does not compress, so a cut file really loses pixels
    img = Image.frombytes("RGB", (size, size), bytes(rnd.randrange(256) for _ in range(size * size * 3)))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("현장사진.png", png(), "image/png"),
        ("계획서.PDF", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "application/pdf"),
        ("메모.txt", "민원 서류 목록".encode(), "text/plain"),
        (
            "보고서.docx",
            b"PK\x03\x04" + b"\x00" * 40,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("기안문.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "application/x-hwp"),
    ],
)
def test_it_accepts_the_usual_office_files(cast, settings, name, data, content_type):
    p = cast.proposal()
    a = services.add_attachment(actor=cast.minji, proposal=p, upload=upload(name, data))
    assert (a.original_name, a.content_type, a.size) == (name, content_type, len(data))
    assert a.file.read() == data
    assert name not in a.file.name  # the stored name never comes from the user
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "bad_type"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60, "bad_content"),
        ("script", b"echo hi", "bad_type"),
        ("사진.png", "이건 사실 글자입니다".encode(), "bad_content"),
        ("잘린사진.png", png()[:3000], "bad_content"),
        ("빈파일.txt", b"", "bad_content"),
        ("바이너리.txt", b"abc\x00def", "bad_content"),
    ],
)
def test_it_refuses_files_that_are_not_what_they_claim(cast, settings, name, data, code):
    p = cast.proposal()
    with pytest.raises(DomainError) as err:
        services.add_attachment(actor=cast.minji, proposal=p, upload=upload(name, data))
    assert (err.value.code, err.value.field) == (code, "file")
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_it_refuses_files_over_the_size_limit(cast, settings):
    settings.MADANG_ATTACHMENT_MAX_BYTES = 1024 * 1024
    p = cast.proposal()
    with pytest.raises(DomainError) as err:
        services.add_attachment(actor=cast.minji, proposal=p, upload=upload("큰파일.txt", b"a" * (1024 * 1024 + 1)))
    assert err.value.code == "too_large"
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_it_accepts_a_file_of_exactly_the_limit(cast, settings):
    settings.MADANG_ATTACHMENT_MAX_BYTES = 1024
    p = cast.proposal()
    a = services.add_attachment(actor=cast.minji, proposal=p, upload=upload("딱맞음.txt", b"a" * 1024))
    assert a.size == 1024


def test_it_refuses_attachments_from_others_and_after_the_deadline(cast, settings):
    p = cast.proposal()
    with pytest.raises(Forbidden):
        services.add_attachment(actor=cast.seojun, proposal=p, upload=upload("a.txt", b"hello"))
    set_phase(cast.call, PhaseKind.REVIEW)
    with pytest.raises(Forbidden):
        services.add_attachment(actor=cast.minji, proposal=p, upload=upload("a.txt", b"hello"))
    assert stored_files(settings) == []


def test_it_caps_the_number_of_attachments(cast):
    p = cast.proposal()
    for i in range(services.MAX_ATTACHMENTS):
        services.add_attachment(actor=cast.minji, proposal=p, upload=upload(f"{i}.txt", b"note"))
    with pytest.raises(DomainError) as err:
        services.add_attachment(actor=cast.minji, proposal=p, upload=upload("more.txt", b"note"))
    assert err.value.code == "too_many"
    assert p.attachments.count() == services.MAX_ATTACHMENTS


def test_it_removes_the_file_with_the_attachment(cast, settings):
    p = cast.proposal()
    a = services.add_attachment(actor=cast.minji, proposal=p, upload=upload("a.txt", b"hello"))
    services.remove_attachment(actor=cast.minji, attachment=a)
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []
