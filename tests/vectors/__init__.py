"""Shared test vectors: each JSON file here is a list of {"input": …, "expected": …} written by hand from
RULES.md. The Python tests (tests/<domain>/test_vectors.py) assert rules.py gives `expected`; the browser test
(tests/browser/test_js_vectors.py) asserts the page's live preview in static/js gives the same, so a preview
can never quietly drift from the rule it copies."""
import json
from pathlib import Path

HERE = Path(__file__).parent


def load(name: str) -> list[dict]:
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))


def ids(vectors: list[dict]) -> list[str]:
    """A readable pytest id per vector: its "case" note, else its position."""
    return [v.get("case", str(n)) for n, v in enumerate(vectors)]
