"""fieldsvc.pdf's speed-ups keep the output: the QR image, the paused collector, the level-6 deflate."""
import base64
import gc
import io
import zlib

import pytest
import qrcode
from PIL import Image, ImageChops

from fieldsvc import pdf


@pytest.mark.parametrize("text", ["x", "http://localhost/verify/JD-2026-000001?s=" + "a" * 32,
                                  "https://gas.example.cn/verify/TZ-2026-123456?s=" + "Zz09" * 20])
def test_qr_image_has_the_same_pixels_as_qrcode_draws(text):
    drawn = qrcode.make(text, box_size=8, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    ours = Image.open(io.BytesIO(base64.b64decode(pdf.qr_data_uri(text).split(",", 1)[1])))
    assert ours.mode == "L"  # grey: WeasyPrint embeds it without converting to RGB
    assert ImageChops.difference(drawn.get_image().convert("L"), ours).getbbox() is None


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_during_a_render_and_restored(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with pdf._gc_paused():
            with pdf._gc_paused():  # a second render at the same time
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), pdf._gc_paused():
            raise RuntimeError("a failed render")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_streams_are_deflated_once_and_images_left_alone():
    import pydyf

    class Out:
        objects = [pydyf.Stream([b"BT", b"ET"], compress=True),
                   pydyf.Stream([b"\x89PNG"], {"Filter": "/FlateDecode"}),
                   pydyf.Stream(["/P <<>> BDC"], compress=True)]

    content, image, mixed = Out.objects
    pdf._deflate_streams(None, Out)
    assert zlib.decompress(content.stream[0]) == b"BT\nET" and not content.compress
    assert content.extra["Filter"] == "/FlateDecode"
    assert image.stream == [b"\x89PNG"] and not image.compress
    assert mixed.compress  # not all bytes: left for pydyf to deflate
