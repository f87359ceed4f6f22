"""render_pdf(template, **ctx) → PDF bytes, with WeasyPrint, from local files only.

- Nothing is fetched from the network: the url_fetcher serves data: URIs and files inside the app's
  static folder, and refuses everything else (a template cannot leak a request to the outside).
- Chinese text uses the system font "WenQuanYi Micro Hei" by family name (fontconfig finds it; no
  file URL to fetch). WeasyPrint embeds only the glyphs used, subset with HarfBuzz.
- A4, with "page x of y" from CSS counters: templates/pdf/base.css is applied to every document;
  a template's own <style> may override the footer wording.
- Speed: one FontConfiguration and the parsed base stylesheet are kept per process (warm), so a
  one-page certificate renders in tens of milliseconds after the first.
"""
import base64
import io
import logging
import threading
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
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=state["fetcher"])
    # Many PDFs are rendered in one process; WeasyPrint's own objects are not shared across threads.
    with _lock:
        return document.write_pdf(stylesheets=[state["base_css"]], font_config=state["font_config"])


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as a PNG data: URI, 8 px per module (print it with image-rendering: pixelated).

    PNG rather than SVG: WeasyPrint draws an SVG path of hundreds of modules in Python, which cost
    ~20 ms of a ~110 ms certificate; the PNG is embedded as it is.
    """
    import qrcode
    image = qrcode.make(text, box_size=8, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
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
