"""Dispatch use cases: each takes the acting user, checks permission first, flushes, never commits."""
from fieldsvc.dispatch.services import board, completion, custody, orders  # noqa: F401
