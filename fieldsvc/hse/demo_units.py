"""Demo of unit HSE (issue #20): the station chief's own hazard line and a nonconformity of the
station's district under way, the metering head's aspect line."""
from datetime import date, timedelta

from fieldsvc import clock
from fieldsvc.hse.services import capa, registers


def seed(users: dict, today: date) -> dict:
    chief, head = users.get("station_chief"), users.get("metering_head")
    added = {"hse_unit_hazards": 0, "hse_unit_nonconformities": 0, "hse_unit_aspects": 0}
    if chief is not None and chief.district_id is not None:
        registers.create_hazard(chief, {
            "activity": "户外表箱巡检维护", "description": "表箱门锁损坏，无关人员可随意开关表前阀",
            "category": "equipment", "accident_type": "fire", "state": "normal", "l": 3, "e": 3, "c": 15,
            "control_management": "每周巡检表箱门锁，损坏当日报修", "owner_id": chief.id,
            "review_on": today + timedelta(days=90)})
        added["hse_unit_hazards"] = 1
        nc = capa.create(chief, {"origin": "inspection", "title": "营业所钥匙柜未上锁",
                                 "description": "所内自查发现表箱钥匙柜长期未上锁，钥匙领用无登记。"})
        capa.transition(chief, nc, "analysis")
        capa.record_analysis(chief, nc, "钥匙管理未纳入交接班检查。")
        capa.transition(chief, nc, "action_plan")
        capa.add_action(chief, nc, {"kind": "corrective", "description": "钥匙柜加锁并建立领用登记本",
                                    "owner_id": chief.id, "deadline": min(today, clock.today()) + timedelta(days=7)})
        added["hse_unit_nonconformities"] = 1
    if head is not None:
        registers.create_aspect(head, {
            "activity": "燃气表检定（钟罩式标准装置）", "aspect": "检定用气体排放", "impact": "大气污染",
            "kind": "pollution", "a": 1, "b": 1, "c": 3, "d": 1, "e": 1, "state": "normal",
            "controls": "检定间保持通风，排放口引至室外", "owner_id": head.id})
        added["hse_unit_aspects"] = 1
    return added
