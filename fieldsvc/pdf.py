"""render_pdf(template, **ctx) → PDF bytes, with WeasyPrint, from local files only.

- Nothing is fetched from the network: the url_fetcher serves data: URIs and files inside the app's
  static folder, and refuses everything else (a template cannot leak a request to the outside).
- Chinese text uses the system font "WenQuanYi Micro Hei" by family name (fontconfig finds it; no
  file URL to fetch). WeasyPrint embeds only the glyphs used, subset with HarfBuzz.
- A4, with "page x of y" from CSS counters: templates/pdf/base.css is applied to every document;
  a template's own <style> may override the footer wording.
- Speed: one FontConfiguration and the parsed base stylesheet are kept per process (warm), so a
  one-page certificate renders in ~100 ms after the first; the garbage collector is paused during a
  render and streams are deflated at level 6 (see _gc_paused and _deflate_streams: bench/certificate.py).
"""
import base64
import gc
import io
import logging
import threading
import zlib
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from flask import current_app, render_template

BASE_CSS = "pdf/base.css"
CJK_FONT_FAMILY = "WenQuanYi Micro Hei"
logger = logging.getLogger(__name__)

_lock = threading.Lock()
_warm: dict = {}


class RefusedResource(ValueError):
    """A document asked for something that is not a local static file or a data: URI."""


def _static_root() -> Path:
    return Path(current_app.static_folder).resolve()


def _local_file(url: str, static_root: Path) -> Path | None:
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    path = Path(unquote(parsed.path)).resolve()
    return path if path.is_relative_to(static_root) and path.is_file() else None


def make_url_fetcher(static_root: Path):
    """A WeasyPrint url_fetcher that serves data: URIs and files under static_root, and refuses the rest."""
    from weasyprint import urls

    def refuse(url: str):
        logger.warning("pdf: refused to fetch %s", url)
        raise RefusedResource(f"only local static files and data: URIs may be used in a PDF: {url}")

    if not hasattr(urls, "URLFetcher"):  # older WeasyPrint: a plain function returning a dict
        def fetch(url: str, *args, **kwargs):
            if url.startswith("data:"):
                return urls.default_url_fetcher(url, *args, **kwargs)
            path = _local_file(url, static_root)
            if path is None:
                refuse(url)
            return {"string": path.read_bytes(), "mime_type": _mime(path.suffix), "redirected_url": url}
        return fetch

    class LocalOnlyFetcher(urls.URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _local_file(url, static_root)
            if path is None:
                refuse(url)
            return urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime(path.suffix) or
                                                                   "application/octet-stream"})

    return LocalOnlyFetcher()


def _mime(suffix: str) -> str | None:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
            ".jpeg": "image/jpeg", ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}.get(suffix.lower())


def _warm_state(static_root: Path) -> dict:
    """The per-process FontConfiguration and base stylesheet (built once, reused by every render)."""
    key = str(static_root)
    state = _warm.get(key)
    if state is None:
        with _lock:
            state = _warm.get(key)
            if state is None:
                from weasyprint import CSS
                from weasyprint.text.fonts import FontConfiguration
                font_config = FontConfiguration()
                css_text = current_app.jinja_env.loader.get_source(current_app.jinja_env, BASE_CSS)[0]
                base_css = CSS(string=css_text, font_config=font_config,
                               url_fetcher=make_url_fetcher(static_root), base_url=static_root.as_uri() + "/")
                state = {"font_config": font_config, "base_css": base_css,
                         "fetcher": make_url_fetcher(static_root)}
                _warm[key] = state
    return state


def render_pdf(template_name: str, **ctx) -> bytes:
    """Render a Jinja template (under templates/) to PDF bytes. Needs an app context.

    Relative URLs in the template resolve against the static folder (e.g. "icons/icon.svg").
    """
    from weasyprint import HTML
    root = _static_root()
    state = _warm_state(root)
    html = render_template(template_name, **ctx)
    with _gc_paused():
        document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=state["fetcher"])
        # Many PDFs are rendered in one process; WeasyPrint's own objects are not shared across threads.
        with _lock:
            return document.write_pdf(stylesheets=[state["base_css"]], font_config=state["font_config"],
                                      finisher=_deflate_streams)


DEFLATE_LEVEL = 6


def _deflate_streams(document, pdf_file) -> None:
    """Deflate the streams at zlib level 6 before pydyf would at level 9 (a WeasyPrint finisher).

    The subset CJK font is a ~380 KB stream (HarfBuzz keeps the glyph ids, so it runs up to the highest
    one used): level 9 takes ~6 ms of a render, level 6 ~2.5 ms, for 0.7% more bytes. Streams that
    are already encoded (images) are left alone.
    """
    import pydyf
    for obj in pdf_file.objects:
        if isinstance(obj, pydyf.Stream) and obj.compress and all(isinstance(item, bytes) for item in obj.stream):
            obj.stream = [zlib.compress(b"\n".join(obj.stream), DEFLATE_LEVEL)]
            obj.extra = {**obj.extra, "Filter": "/FlateDecode"}  # a copy: another stream may share the dict
            obj.compress = False


_gc_lock = threading.Lock()
_gc_pausers = [0, False]  # renders in progress; whether the collector was on when the first began


@contextmanager
def _gc_paused():
    """No cyclic garbage collection while WeasyPrint builds a document, then one young-generation pass.

    A render makes ~100k short-lived objects (boxes, styles, Pango layouts) that stay alive until it
    ends. With the collector on, each is scanned again and again and then promoted to the oldest
    generation, so full collections of the whole app heap (~0.4 s each) come every few renders. Paused,
    the render's leftover cycles (~13k objects) are freed by one young-generation pass of a few ms.
    """
    with _gc_lock:
        _gc_pausers[0] += 1
        if _gc_pausers[0] == 1:
            _gc_pausers[1] = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers[0] -= 1
            resume = _gc_pausers[0] == 0 and _gc_pausers[1]
            if resume:
                gc.enable()
        if resume:
            gc.collect(0)


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as a PNG data: URI, 8 px per module (print it with image-rendering: pixelated).

    PNG rather than SVG: WeasyPrint draws an SVG path of hundreds of modules in Python, which cost
    ~20 ms of a ~110 ms certificate; the PNG is embedded as it is.

    The same pixels as qrcode's own image (black modules, white quiet zone of 2), but made from the
    module matrix in one go, in 8-bit grey: qrcode draws every module as a rectangle into a 1-bit image,
    which WeasyPrint then converts to RGB and encodes twice; a grey PNG it takes as it is.
    """
    import qrcode
    from PIL import Image, ImageOps
    code = qrcode.QRCode(box_size=8, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    size = code.modules_count
    modules = bytes(0 if dark else 255 for row in code.modules for dark in row)
    image = ImageOps.expand(Image.frombytes("L", (size, size), modules), border=code.border, fill=255)
    image = image.resize((image.width * code.box_size, image.height * code.box_size), Image.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def subsetting_mode() -> str:
    """'harfbuzz' when WeasyPrint subsets fonts with HarfBuzz (fast, small PDFs), else 'fonttools'.

    The fontTools fallback is several times slower with a CJK font; the benchmark refuses it.
    """
    from weasyprint.pdf import fonts  # the module that subsets: check the binding it actually uses
    if getattr(fonts, "harfbuzz_subset", None) is not None and fonts.harfbuzz.hb_version_atleast(4, 1, 0):
        return "harfbuzz"
    return "fonttools"


def embedded_font_bytes(pdf: bytes) -> int:
    """Bytes of the font files embedded in a PDF, as stored (FontFile/FontFile2/FontFile3 streams).

    A subset CJK font is tens of KB; the whole WenQuanYi collection would be megabytes. Needs pypdf
    (a dev dependency: used by the tests and the benchmark).
    """
    from pypdf import PdfReader
    total = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            for desc_font in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                descriptor = desc_font.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        stream = descriptor[key].get_object()
                        # As stored in the file (compressed); pypdf keeps the encoded bytes in _data.
                        total += len(getattr(stream, "_data", b"") or stream.get_data())
    return total
