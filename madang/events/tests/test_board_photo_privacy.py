"""문지아 posts a photo of her table's drawing anonymously: the other participants see the drawing,
and nothing her phone wrote into the file (where she was, whose phone it is)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from madang.core.tests.test_uploads import bomb_png, tagged_jpeg
from madang.events import services

from .conftest import client


def test_it_serves_an_anonymous_photo_without_its_exif(room):
    folk, board = room["folk"], room["jam"]
    item = services.add_photo(
        actor=folk.jia,
        board=board,
        upload=SimpleUploadedFile("jam.jpg", tagged_jpeg()),
        caption="3조 그림",
        anonymous=True,
    )
    r = client(folk.cast.minji).get(f"/events/hackathon/boards/{board.pk}/photo/{item.pk}/")
    served = b"".join(r.streaming_content)
    assert r.status_code == 200 and b"Kim Minji" not in served
    with Image.open(io.BytesIO(served)) as img:
        assert dict(img.getexif()) == {} and "xmp" not in img.info and img.size == (20, 40)


def test_it_refuses_a_photo_bomb_before_decoding_it(room):
    folk, board = room["folk"], room["jam"]
    r = client(folk.jia).post(
        f"/events/hackathon/boards/{board.pk}/do/photo/",
        {"caption": "큰 그림", "file": SimpleUploadedFile("jam.png", bomb_png(12_000, 12_000))},
    )
    assert r.status_code == 400
    assert not board.items.filter(text="큰 그림").exists()
