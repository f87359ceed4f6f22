"""The official holiday schedules the calendar is seeded with (the office keeps them afterwards).

2026: the State Council's notice on the 2026 holiday arrangements (国务院办公厅关于2026年部分节假日安排的通知).
2027: not published when this was written. Seeded with the statutory days that are fixed in the
Regulations on Public Holidays as amended from 2025 (元旦 Jan 1, 劳动节 May 1–2, 国庆 Oct 1–3) and the
lunar ones computed from the 2027 lunar calendar (春节: the eve Feb 5 and 初一–初三 Feb 6–8, 清明 Apr 5,
端午 Jun 9, 中秋 Sep 15) — holidays only, no make-up working days. The office completes 2027 from the
State Council's notice when it is published (the calendar page says so).
"""
from datetime import date, timedelta

from fieldsvc.calendar.rules import Kind


def _span(first: date, last: date, name: str, kind: str = Kind.holiday) -> list[tuple[date, str, str]]:
    return [(first + timedelta(days=i), kind, name) for i in range((last - first).days + 1)]


def _one(day: date, name: str, kind: str = Kind.workday) -> list[tuple[date, str, str]]:
    return [(day, kind, name)]


SCHEDULES: dict[int, list[tuple[date, str, str]]] = {
    2026: [
        *_span(date(2026, 1, 1), date(2026, 1, 3), "元旦"),
        *_one(date(2026, 1, 4), "元旦调休上班"),
        *_one(date(2026, 2, 14), "春节调休上班"),
        *_span(date(2026, 2, 15), date(2026, 2, 23), "春节"),
        *_one(date(2026, 2, 28), "春节调休上班"),
        *_span(date(2026, 4, 4), date(2026, 4, 6), "清明节"),
        *_span(date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
        *_one(date(2026, 5, 9), "劳动节调休上班"),
        *_span(date(2026, 6, 19), date(2026, 6, 21), "端午节"),
        *_one(date(2026, 9, 20), "国庆节调休上班"),
        *_span(date(2026, 9, 25), date(2026, 9, 27), "中秋节"),
        *_span(date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
        *_one(date(2026, 10, 10), "国庆节调休上班"),
    ],
    # Provisional (see the module's docstring): statutory days only, no 调休.
    2027: [
        *_one(date(2027, 1, 1), "元旦", Kind.holiday),
        *_span(date(2027, 2, 5), date(2027, 2, 8), "春节"),  # 除夕 Feb 5, 初一 Feb 6 – 初三 Feb 8
        *_one(date(2027, 4, 5), "清明节", Kind.holiday),
        *_span(date(2027, 5, 1), date(2027, 5, 2), "劳动节"),
        *_one(date(2027, 6, 9), "端午节", Kind.holiday),
        *_one(date(2027, 9, 15), "中秋节", Kind.holiday),
        *_span(date(2027, 10, 1), date(2027, 10, 3), "国庆节"),
    ],
}
