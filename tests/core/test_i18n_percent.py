"""Jinja's gettext formats every template string with %, so a lone "%" in a translation of a template's
string is a 500 on that page (found by the access matrix: 进度（%） on the plan progress form)."""
import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_no_lone_percent_in_translations_of_template_strings():
    bad = []
    for po in (ROOT / "fieldsvc" / "translations").glob("*/LC_MESSAGES/messages.po"):
        if po.parent.parent.is_symlink():
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if not message.id or not any(path.startswith("templates/") for path, _ in message.locations):
                continue
            texts = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in texts:
                if text and "%" in re.sub(r"%%|%\(\w+\)[0-9.]*[sdf]|%[sd]", "", text):
                    bad.append((po.parent.parent.name, message.id, text))
    assert bad == []
