"""Demo: everyone's education and start in the trade, the director's internal-auditor certificate, and
two people who fall short (a pipe fitter with junior-high schooling, a station chief two years in).
Re-runnable: only people with no education on file are filled in."""
import random
from datetime import date, timedelta

from sqlalchemy import select

from fieldsvc.auth.models import Qualification, User
from fieldsvc.extensions import db
from fieldsvc.staffing import rules

# username → (education, years in the trade); the rest get their role's level and a few years more.
SHORT = {"pipe_fitter3": ("junior_high", 3), "station_chief2": ("college", 2)}
ABOVE = {"director": "bachelor", "safety_officer": "bachelor", "metering_head": "bachelor"}


def seed_demo(rnd: random.Random, today: date, size: str) -> dict:
    users = list(db.session.execute(select(User).where(User.education.is_(None)).order_by(User.id)).scalars())
    for user in users:
        need = rules.DEFAULT_REQUIREMENTS.get(user.role)
        if need is None:
            continue
        education, years = SHORT.get(user.username, (ABOVE.get(user.username, need.education),
                                                     need.years + rnd.randrange(1, 9)))
        user.education = education
        user.experience_since = today - timedelta(days=365 * years + rnd.randrange(30, 300))
        if user.username == "director" and not any(q.kind == "internal_auditor" for q in user.qualifications):
            user.qualifications.append(Qualification(
                kind="internal_auditor", number=f"NSY{rnd.randrange(10**6):06d}", issuer="质量认证中心",
                issued_on=today - timedelta(days=900), expires_on=today + timedelta(days=560)))
    db.session.flush()
    return {"staff_profiles": len(users)}
