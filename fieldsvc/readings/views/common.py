"""Small helpers shared by the readings pages."""
from flask import request


def photo_bytes(name: str = "photo") -> bytes | None:
    upload = request.files.get(name)
    if upload is None or not upload.filename:
        return None
    return upload.read()


def messages(errors: dict) -> str:
    return " ".join(m for msgs in errors.values() for m in msgs)
