"""fieldsvc.pdf: A4, Chinese text embedded and extractable, page x of y, local files only, subset fonts."""
import io

import pytest
from pypdf import PdfReader

from fieldsvc import pdf

A4_POINTS = (595.28, 841.89)


@pytest.fixture
def render(app, tmp_path):
    """Render a throwaway template through the app's loader (templates/pdf/_scratch_*.html are not kept)."""
    from jinja2 import ChoiceLoader, DictLoader

    def _render(source: str, **ctx) -> bytes:
        original = app.jinja_env.loader
        app.jinja_env.loader = ChoiceLoader([DictLoader({"scratch.html": source}), original])
        try:
            with app.test_request_context():
                return pdf.render_pdf("scratch.html", **ctx)
        finally:
            app.jinja_env.loader = original
    return _render


def _text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_chinese_a4_and_page_x_of_y(render):
    many = "".join(f"<p>第 {i} 行 燃气表检定 合格</p>" for i in range(120))
    data = render("<html><body><p>检定证书</p>{{ body|safe }}</body></html>", body=many)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=0.5)
    texts = _text(data)
    assert "检定证书" in texts[0]
    assert f"1 / {len(texts)}" in texts[0] and f"{len(texts)} / {len(texts)}" in texts[-1]


def test_the_cjk_font_is_embedded_as_a_small_subset(render):
    data = render("<html><body><p>计量室 检定结果通知书 不合格</p></body></html>")
    size = pdf.embedded_font_bytes(data)
    assert 0 < size < 200_000  # the whole WenQuanYi collection is about 5 MB
    assert len(data) < 300_000


def test_harfbuzz_subsetting_is_in_use():
    assert pdf.subsetting_mode() == "harfbuzz"


def test_qr_code_is_a_png_data_uri_that_decodes_back(render):
    import base64

    from PIL import Image
    uri = pdf.qr_data_uri("http://localhost/verify/JD-2026-000001")
    assert uri.startswith("data:image/png;base64,")
    with Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as img:
        assert img.width == img.height and img.width >= 200
    data = render('<html><body><p>x</p><img src="{{ qr }}" style="width:30mm"></body></html>', qr=uri)
    images = PdfReader(io.BytesIO(data)).pages[0].images
    assert len(images) == 1


def test_local_static_files_are_served(app):
    fetcher = pdf.make_url_fetcher(pdf.Path(app.static_folder).resolve())
    icon = (pdf.Path(app.static_folder) / "icons" / "icon.svg").resolve()
    response = fetcher(icon.as_uri())
    assert response.read()[:5] in (b"<?xml", b"<svg ")


@pytest.mark.parametrize("url", [
    "http://example.com/logo.png", "https://example.com/x.css", "ftp://example.com/x",
    "file:///etc/passwd", "file:///work/main/fieldsvc/config.py",
])
def test_anything_else_is_refused(app, url):
    fetcher = pdf.make_url_fetcher(pdf.Path(app.static_folder).resolve())
    with pytest.raises((pdf.RefusedResource, ValueError)):
        fetcher(url)


def test_a_remote_image_in_a_template_is_not_fetched(render, monkeypatch):
    import urllib.request
    calls = []
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda *a, **k: calls.append(a) or 1 / 0)
    data = render('<html><body><p>x</p><img src="http://127.0.0.1:9/x.png"></body></html>')
    assert data.startswith(b"%PDF") and calls == []
