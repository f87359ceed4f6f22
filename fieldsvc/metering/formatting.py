"""Number and time formats shared by the metering pages and PDFs (registered as Jinja filters)."""
from datetime import datetime
from decimal import Decimal

from fieldsvc import clock


def plain(value, places: int | None = None) -> str:
    """A Decimal without exponent or trailing zeros (10, 0.016, 2.5), or with fixed places."""
    if value is None:
        return ""
    try:
        d = Decimal(value)
    except (ArithmeticError, TypeError, ValueError):  # not a number (an old free-text result): as it is
        return str(value)
    if places is not None:
        return f"{d:.{places}f}"
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def signed(value) -> str:
    """An error in %: always two decimals and a sign (+0.52, −1.24 printed as -1.24, 0.00)."""
    if value is None:
        return ""
    d = Decimal(value)
    return f"{d:+.2f}" if d != 0 else "0.00"


def local_time(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time in the business time zone, in a fixed format (documents do not vary by locale)."""
    if moment is None:
        return ""
    return moment.astimezone(clock.zone()).strftime(fmt)


def register(app) -> None:
    from fieldsvc.metering.labels import failure_label
    app.jinja_env.filters.update(m_plain=plain, m_signed=signed, m_local=local_time)
    app.jinja_env.globals.update(failure_label=failure_label)
