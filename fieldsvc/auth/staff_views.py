"""The director's staff pages (placeholder blueprint; pages land in the next commit)."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
def index():
    return ""
