"""Small helpers shared by the readings tests."""
from tests import factories


def jpeg() -> bytes:
    """A tiny real JPEG (uploads are decoded, so a fake one would be refused)."""
    return factories.jpeg((40, 30), (200, 200, 200))
