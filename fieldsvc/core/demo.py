"""A demo city: districts, staff (one user per role plus field crews), customers, meters, appliances.

Deterministic (a fixed random seed) and re-runnable: what exists already is skipped, so running it
twice adds nothing. Bulk inserts keep `--size city` (50,000 customers) fast enough for benchmarks.
"""
import random
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module

from flask import current_app
from sqlalchemy import func, insert, select
from werkzeug.security import generate_password_hash

from fieldsvc import audit
from fieldsvc.auth.models import Qualification, User
from fieldsvc.customers import rules
from fieldsvc.customers.models import Appliance, Customer, District, Meter, MeterInstallation
from fieldsvc.db import sync_sequences
from fieldsvc.extensions import db

DEMO_PASSWORD = "fieldsvc-demo"
SIZES = {"small": 500, "city": 50_000}
STOCK_METERS = {"small": 60, "city": 2_000}

DISTRICTS = [("D01", "城东片区"), ("D02", "城西片区"), ("D03", "城南片区"), ("D04", "城北片区"),
             ("D05", "高新区片区"), ("D06", "经开区片区")]
ESTATES = ["幸福小区", "阳光花园", "锦绣家园", "翠湖苑", "金桂园", "和平里", "建设路", "人民路", "东风新村",
           "滨江花园", "书香门第", "银杏苑", "紫荆花园", "康乐小区", "长安街", "学府路", "新华路", "丽景湾"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强玉兰海燕春梅国强红梅丹丹晓东文博子豪雨欣梓涵浩然思远佳怡"
SHOPS = ["川味小馆", "兰州拉面", "老王饺子馆", "好再来餐厅", "鑫鑫烧烤", "东北菜馆", "早点铺", "湘菜馆"]
PLANTS = ["第一中学食堂", "市人民医院", "机关食堂", "纺织厂宿舍", "养老院", "职业技术学院"]
MAKERS = ["金卡智能", "先锋电子", "成都秦川", "重庆前卫", "浙江苍南", "天信仪表"]
BRANDS = ["方太", "老板", "华帝", "万和", "万家乐", "林内", "能率", "A.O.史密斯"]

# (username, role, name); the role-code users come first, then the extra field crews.
STAFF = [
    ("director", "director", "周建国"), ("safety_officer", "safety_officer", "吴海燕"),
    ("station_chief", "station_chief", "郑志强"), ("repair_tech", "repair_tech", "王磊"),
    ("pipe_fitter", "pipe_fitter", "李军"), ("meter_reader", "meter_reader", "张秀英"),
    ("card_clerk", "card_clerk", "刘丽"), ("statistician", "statistician", "陈静"),
    ("metering_head", "metering_head", "杨文博"), ("metering_tech", "metering_tech", "黄敏"),
    ("repair_tech2", "repair_tech", "赵勇"), ("repair_tech3", "repair_tech", "孙涛"),
    ("pipe_fitter2", "pipe_fitter", "马刚"), ("pipe_fitter3", "pipe_fitter", "朱明"),
    ("meter_reader2", "meter_reader", "胡娟"), ("meter_reader3", "meter_reader", "郭艳"),
    ("metering_tech2", "metering_tech", "何杰"), ("metering_tech3", "metering_tech", "林超"),
    ("station_chief2", "station_chief", "罗平"),
]
ROLE_QUALIFICATION = {
    "director": ("service_cert_3", "人社局职业技能鉴定中心"),
    "station_chief": ("service_cert_3", "人社局职业技能鉴定中心"),
    "safety_officer": ("internal_auditor", "质量认证中心"),
    "meter_reader": ("service_cert_2", "人社局职业技能鉴定中心"),
    "card_clerk": ("service_cert_2", "人社局职业技能鉴定中心"),
    "repair_tech": ("service_cert_1", "人社局职业技能鉴定中心"),
    "pipe_fitter": ("service_cert_1", "人社局职业技能鉴定中心"),
    "statistician": ("service_cert_1", "人社局职业技能鉴定中心"),
    "metering_head": ("metrology_licence", "市场监督管理局"),
    "metering_tech": ("metrology_licence", "市场监督管理局"),
}


def seed(size: str = "small", today: date | None = None) -> dict:
    """Create what is missing of the demo; returns counts of what was added."""
    today = today or date.today()
    rnd = random.Random(2026)
    added = {"districts": _districts(), "users": _staff(rnd, today)}
    added.update(_customers(rnd, SIZES[size], today))
    added["stock_meters"] = _stock_meters(rnd, STOCK_METERS[size], today)
    added.update(_domain_demos(rnd, today, size))
    if any(added.values()):
        audit.record(None, "demo.seed", "system", None, size=size, added=added)
    return added


def _domain_demos(rnd: random.Random, today: date, size: str) -> dict:
    """Each installed domain that has `demo.seed_demo(rnd, today, size)` adds its own records, in the
    order of DOMAINS (dispatch before the domains whose records point at work orders)."""
    from fieldsvc import DOMAINS
    added = {}
    for name in DOMAINS:
        try:
            module = import_module(f"fieldsvc.{name}.demo")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "seed_demo"):
            result = module.seed_demo(random.Random(f"{name}-{rnd.random()}"), today, size)
            added.update(result if isinstance(result, dict) else {name: result})
    # A second pass for what needs every domain's records: jobs completed through the services, whose
    # results reach readings, arrears and HSE (dispatch's closed loops).
    for name in DOMAINS:
        try:
            module = import_module(f"fieldsvc.{name}.demo_loops")
        except ModuleNotFoundError:
            continue
        added.update(module.seed_after(random.Random(f"{name}-loops"), today, size))
    return added


def _districts() -> int:
    existing = set(db.session.execute(select(District.code)).scalars())
    new = [{"code": c, "name": n} for c, n in DISTRICTS if c not in existing]
    if new:
        db.session.execute(insert(District), new)
    return len(new)


def _staff(rnd: random.Random, today: date) -> int:
    existing = set(db.session.execute(select(User.username)).scalars())
    districts = list(db.session.execute(select(District).order_by(District.code)).scalars())
    password_hash = generate_password_hash(DEMO_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
    added = 0
    for i, (username, role, name) in enumerate(STAFF):
        if username in existing:
            continue
        user = User(username=username, role=role, name=name, password_hash=password_hash, active=True,
                    session_token=f"{rnd.getrandbits(128):032x}", phone=f"139{rnd.randrange(10**8):08d}",
                    district_id=districts[i % len(districts)].id if role in ("station_chief", "meter_reader") else None)
        db.session.add(user)
        kind, issuer = ROLE_QUALIFICATION[role]
        issued = today - timedelta(days=rnd.randrange(300, 2000))
        # One metering technician's licence runs out soon, so the expiry warning shows in the demo.
        expires = today + timedelta(days=30) if username == "metering_tech3" else issued + timedelta(days=365 * 5)
        if expires < today:
            expires = today + timedelta(days=rnd.randrange(120, 1500))
        user.qualifications.append(Qualification(kind=kind, number=f"Q{rnd.randrange(10**7):07d}", issuer=issuer,
                                                 issued_on=issued, expires_on=expires))
        added += 1
    db.session.flush()
    return added


def _person(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))


def _customers(rnd: random.Random, count: int, today: date) -> dict:
    existing = db.session.execute(select(func.count(Customer.id))).scalar_one()
    if existing >= count:
        return {"customers": 0, "meters": 0, "appliances": 0}
    have = set(db.session.execute(select(Customer.account_no)).scalars())
    districts = list(db.session.execute(select(District).order_by(District.code)).scalars())
    customers, meters, installs, appliances = [], [], [], []
    next_id = (db.session.execute(select(func.max(Customer.id))).scalar() or 0) + 1
    next_meter = (db.session.execute(select(func.max(Meter.id))).scalar() or 0) + 1
    for n in range(1, count + 1):
        account_no = f"{20000000 + n}"
        row = _customer_row(rnd, n, districts)  # drawn even when skipped, so re-runs stay deterministic
        if account_no in have:
            continue
        row.update(id=next_id, account_no=account_no)
        customers.append(row)
        meter, install = _meter_for(rnd, next_meter, row, today)
        meters.append(meter)
        installs.append(install)
        appliances.extend(_appliances_for(rnd, next_id, row, today))
        next_id += 1
        next_meter += 1
    for table, rows in ((Customer, customers), (Meter, meters), (MeterInstallation, installs),
                        (Appliance, appliances)):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(table), rows[start:start + 5000])
    sync_sequences(db.session, "customers", "meters")
    return {"customers": len(customers), "meters": len(meters), "appliances": len(appliances)}


def _customer_row(rnd: random.Random, n: int, districts: list) -> dict:
    district = districts[n % len(districts)]
    roll = rnd.random()
    category = "residential" if roll < 0.93 else "commercial" if roll < 0.985 else "industrial"
    gas = rnd.choices(["NG", "LPG", "MG"], weights=[85, 10, 5])[0]
    estate = rnd.choice(ESTATES)
    if category == "residential":
        name = _person(rnd)
        building, unit, floor = str(rnd.randint(1, 30)), str(rnd.randint(1, 4)), rnd.randint(1, 18)
        room = f"{floor}{rnd.randint(1, 4):02d}"
        parts = dict(estate=estate, building=building, unit=unit, floor=str(floor), room=room)
    else:
        name = rnd.choice(SHOPS if category == "commercial" else PLANTS)
        parts = dict(estate=f"{estate}{rnd.randint(1, 300)}号", building=None, unit=None, floor=None, room=None)
    return dict(name=name, phone=f"1{rnd.choice('3578')}{rnd.randrange(10**9):09d}", category=category,
                gas=gas, district_id=district.id, address=rules.format_address(*parts.values()),
                status="active", version=1, **parts)


def _meter_for(rnd: random.Random, meter_id: int, customer: dict, today: date) -> tuple[dict, dict]:
    size = "G2.5" if customer["category"] == "residential" else rnd.choice(["G6", "G10", "G16", "G25"])
    verified = today - timedelta(days=rnd.randrange(30, 365 * 11))
    installed = verified + timedelta(days=rnd.randrange(5, 60))
    if installed > today:
        installed = today
    start = Decimal(rnd.choice([0, 0, 0, rnd.randrange(0, 500)]))
    meter = dict(id=meter_id, serial_no=f"M{meter_id + 10_000_000:08d}", customer_id=customer["id"], size=size,
                 accuracy_class="1.5", kind=rnd.choices(["diaphragm", "ic_card", "smart"], weights=[60, 30, 10])[0],
                 location=rnd.choice(["indoor", "indoor", "outdoor"]), maker=rnd.choice(MAKERS),
                 first_verified_on=verified, installed_on=installed, start_reading=start, digits=5,
                 status="installed", version=1)
    install = dict(meter_id=meter_id, customer_id=customer["id"], installed_on=installed, start_reading=start)
    return meter, install


def _appliances_for(rnd: random.Random, customer_id: int, customer: dict, today: date) -> list[dict]:
    kinds = ["stove"] + (["water_heater"] if rnd.random() < 0.6 else []) + \
        (["wall_boiler"] if rnd.random() < 0.15 else [])
    return [dict(customer_id=customer_id, kind=k, brand=rnd.choice(BRANDS),
                 sold_on=today - timedelta(days=rnd.randrange(100, 365 * 12)),
                 flame_failure=rnd.random() < 0.85,
                 flue_type=None if k == "stove" else rnd.choice(["forced", "balanced", "natural"]), active=True)
            for k in kinds]


def _stock_meters(rnd: random.Random, count: int, today: date) -> int:
    have = set(db.session.execute(select(Meter.serial_no).where(Meter.serial_no.like("S%"))).scalars())
    rows = []
    for n in range(1, count + 1):
        serial = f"S{today.year}{n:05d}"
        size = rnd.choice(["G1.6", "G2.5", "G2.5", "G4", "G6"])
        if serial in have:
            continue
        rows.append(dict(serial_no=serial, size=size, accuracy_class=rnd.choice(["1.5", "1.0"]),
                         kind=rnd.choice(["diaphragm", "ic_card"]), location="indoor", maker=rnd.choice(MAKERS),
                         made_on=today - timedelta(days=rnd.randrange(10, 200)), start_reading=Decimal(0),
                         digits=5, status="in_stock", version=1))
    if rows:
        db.session.execute(insert(Meter), rows)
    return len(rows)
