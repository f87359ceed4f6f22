"""Small helpers shared by the readings tests."""
import io

from PIL import Image


def jpeg() -> bytes:
    """A tiny real JPEG (uploads are decoded, so a fake one would be refused)."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 200, 200)).save(out, "JPEG")
    return out.getvalue()
