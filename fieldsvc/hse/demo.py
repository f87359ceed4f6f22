"""HSE demo data: `seed(rnd, today)` is called by the demo seeding (core/demo.py) after the staff.

Everything goes through the services, as the safety officer, the director and field staff would do
it, so the demo's D, grades, totals, significance and audit trail are what the rules give. Runs once:
when the hazard register already has lines, nothing is added.
"""
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from fieldsvc import clock
from fieldsvc.auth.models import User
from fieldsvc.extensions import db
from fieldsvc.hse import demo_data as data
from fieldsvc.hse import rules
from fieldsvc.hse.models import HseHazard, HseObservation
from fieldsvc.hse.services import capa, observations, programme, registers, training


def seed_demo(rnd: random.Random, today: date, size: str) -> dict:
    """Called by the demo seeding (fieldsvc/core/demo.py)."""
    return seed(rnd, today)


def seed(rnd: random.Random, today: date) -> dict:
    """Add the demo registers, training, targets, self-inspections and nonconformities; returns counts."""
    if db.session.execute(select(func.count(HseHazard.id))).scalar_one():
        return {}
    users = {u.username: u for u in db.session.execute(select(User)).scalars()}
    officer, director = users.get("safety_officer"), users.get("director")
    if officer is None or director is None:
        return {}
    added = {"hse_hazards": _hazards(officer, users, today), "hse_aspects": _aspects(officer, users, today)}
    added["hse_training_sessions"] = _training(officer, users, rnd, today)
    added["hse_objectives"] = _objectives(officer, users, today)
    added["hse_campaign_records"] = _campaigns(officer, users, today)
    added["hse_observations"] = _observations(users)
    added["hse_nonconformities"] = _nonconformities(officer, director, users, today)
    from fieldsvc.hse import demo_units  # unit heads' own lines (issue #20)
    added.update(demo_units.seed(users, today))
    from fieldsvc.hse import demo_system  # legal register, audit programme, management review
    added.update(demo_system.seed(officer, director, users, today))
    return added


def _owner(users, username):
    user = users.get(username)
    return user.id if user is not None else None


def _hazards(officer, users, today) -> int:
    for (unit, activity, hazard, category, accident, state, (l_value, e_value, c_value), criteria, controls,
         residual, owner, review_days) in data.HAZARDS:
        payload = {"unit": unit, "activity": activity, "description": hazard, "category": category,
                   "accident_type": accident, "state": state, "l": l_value, "e": e_value, "c": c_value,
                   "direct_criteria": criteria, "owner_id": _owner(users, owner),
                   "review_on": today + timedelta(days=review_days)}
        payload.update({f"control_{k}": text or None for k, text in zip(rules.CONTROL_KINDS, controls, strict=True)})
        if residual:
            payload.update(residual_l=residual[0], residual_e=residual[1], residual_c=residual[2])
        registers.create_hazard(officer, payload)
    return len(data.HAZARDS)


def _aspects(officer, users, today) -> int:
    for unit, activity, aspect, impact, kind, scores, owner, review_days in data.ASPECTS:
        registers.create_aspect(officer, {"unit": unit, "activity": activity, "aspect": aspect, "impact": impact,
                                          "kind": kind, **scores, "owner_id": _owner(users, owner),
                                          "review_on": today + timedelta(days=review_days)})
    return len(data.ASPECTS)


def _training(officer, users, rnd, today) -> int:
    topics = {}
    for name, description, roles in data.TOPICS:
        topic = training.create_topic(officer, name, description)
        topics[name] = topic
        for role, months in roles.items():
            training.set_requirement(officer, topic.id, role, months)
    active = [u for u in users.values() if u.active]
    for name, months_ago, hours, trainer, place, roles in data.SESSIONS:
        attendees = [u.id for u in active if roles is None or u.role in roles]
        # Someone always misses a session, so the matrix shows gaps.
        attendees = [a for a in attendees if rnd.random() > 0.15]
        session = training.create_session(officer, {
            "topic_id": topics[name].id, "held_on": rules.add_months(today, -months_ago), "hours": Decimal(hours),
            "trainer": trainer, "place": place, "attendee_ids": attendees})
        training.record_scores(officer, session, {
            a.id: Decimal(rnd.choice([55, 72, 80, 85, 88, 90, 92, 95, 98])) for a in session.attendances})
    return len(data.SESSIONS)


def _objectives(officer, users, today) -> int:
    for unit, owner, objective, indicator, direction, target, measure, actual, plan in data.OBJECTIVES:
        record = programme.create_objective(officer, {
            "year": today.year, "unit": unit, "owner_id": _owner(users, owner), "objective": objective,
            "indicator": indicator, "direction": direction, "target_value": Decimal(target), "measure": measure,
            "programme": plan, "due_on": date(today.year, 12, 31)})
        programme.report_progress(officer, record, Decimal(actual), min(today, clock.today()), None)
    return len(data.OBJECTIVES)


def _campaigns(officer, users, today) -> int:
    count = 0
    reporter = users.get("meter_reader") or officer
    for title, theme, days_ago, records in data.CAMPAIGNS:
        campaign = training.create_campaign(officer, {"title": title, "theme": theme,
                                                      "starts_on": today - timedelta(days=days_ago),
                                                      "ends_on": today - timedelta(days=days_ago - 45)})
        for i, (place, audience, materials) in enumerate(records):
            training.add_campaign_record(reporter, campaign, {
                "held_on": campaign.starts_on + timedelta(days=7 * i + 3), "place": place,
                "audience_count": audience, "materials": materials})
            count += 1
    return count


def _observations(users) -> int:
    count = 0
    for username, kind, description, location, activity in data.OBSERVATIONS:
        if username in users:
            observations.report(users[username], {"kind": kind, "description": description, "location": location,
                                                  "activity": activity})
            count += 1
    return count


def _nonconformities(officer, director, users, today) -> int:
    """One of each kind of story: closed after an audit, under way after a complaint, raised from a
    self-inspection finding, and fed from the field (the grade A visit of the inspections demo, when
    there is one, raised from its report in one step)."""
    done_on = min(today, clock.today())
    fitter = users.get("pipe_fitter") or officer
    audit_nc = capa.create(officer, {"origin": "audit", "unit": "repair_crew", "title": "抢修车辆灭火器过期",
                                     "description": "内部审核发现2号抢修车灭火器超过检验有效期3个月。"})
    capa.transition(officer, audit_nc, "analysis")
    capa.record_analysis(officer, audit_nc, "车辆随车器材未纳入月度检查清单。")
    capa.transition(officer, audit_nc, "action_plan")
    capa.add_action(officer, audit_nc, {"kind": "immediate", "description": "更换灭火器", "owner_id": fitter.id,
                                        "deadline": done_on})
    capa.add_action(officer, audit_nc, {"kind": "corrective", "description": "随车器材纳入月度自查清单",
                                        "owner_id": officer.id, "deadline": done_on})
    capa.transition(officer, audit_nc, "in_progress")
    for action in audit_nc.actions:
        capa.complete_action(officer, action, done_on, "已完成")
    capa.transition(officer, audit_nc, "effectiveness_check")
    capa.record_effectiveness(officer, audit_nc, True, "抽查全部抢修车辆，灭火器均在有效期内。")
    capa.transition(director, audit_nc, "closed")

    complaint = capa.create(officer, {"origin": "complaint", "unit": "repair_crew", "title": "维修后接头漏气",
                                      "description": "用户投诉热水器维修后次日闻到燃气味，复查发现接头未紧固。"})
    capa.transition(officer, complaint, "analysis")
    capa.record_analysis(officer, complaint, "维修后未按规程用检漏液检漏。")
    capa.transition(officer, complaint, "action_plan")
    capa.add_action(officer, complaint, {"kind": "corrective", "description": "维修后检漏纳入工单必填项",
                                         "owner_id": officer.id, "deadline": today + timedelta(days=10)})
    tech = users.get("repair_tech") or officer
    capa.add_action(officer, complaint, {"kind": "preventive", "description": "全体维修工检漏规程再培训",
                                         "owner_id": tech.id, "deadline": today - timedelta(days=2)})
    capa.transition(officer, complaint, "in_progress")

    inspection = programme.start_inspection(officer, "metering_office", _month(today, -1), today - timedelta(days=20))
    results = {item.id: ("finding" if item.seq == 1 else "ok", "压力容器检验证书已过期2周" if item.seq == 1 else None)
               for item in inspection.items}
    programme.record_results(officer, inspection, results)
    programme.complete_inspection(officer, inspection)
    programme.raise_nonconformity(officer, inspection.items[0])
    programme.start_inspection(officer, "repair_crew", _month(today, 0), today)

    # Fed from the field: the grade A visit of the inspections demo reported to the inbox, raised in one step.
    field = db.session.execute(select(HseObservation).where(
        HseObservation.status == "open", HseObservation.inspection_id.is_not(None))
        .order_by(HseObservation.id)).scalars().first()
    if field is None:
        return 3
    observations.raise_nonconformity(officer, field.id)
    return 4


def _month(today: date, offset: int) -> str:
    day = rules.add_months(today.replace(day=1), offset)
    return day.strftime("%Y-%m")
