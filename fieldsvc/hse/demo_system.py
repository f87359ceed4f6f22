"""Demo data of the HSE system: a starting register of legal and other requirements for a city gas
customer-service department (marked as examples: the lines must be checked against the texts in force),
compliance evaluations (one failed → its nonconformity), this year's audit programme and last year's
management review. Called from hse/demo.py, through the services, as the safety officer and director."""
from datetime import date, timedelta

from fieldsvc.hse.services import audits, legal

# (title, kind, issuer, clause, applies to, days until the next evaluation)
LEGAL = [
    ("中华人民共和国安全生产法（2021修正）", "law", "全国人民代表大会常务委员会",
     "第四条 生产经营单位的安全生产责任；第二十一条 主要负责人职责；第二十八条 安全生产教育和培训；第四十一条 隐患排查治理",
     "全部门：安全生产责任制、培训、隐患排查治理；全体岗位", 45),
    ("城镇燃气管理条例（2016修订）", "regulation", "国务院",
     "第十七条 燃气经营者安全管理；第二十八条 燃气用户及相关单位和个人不得有的行为；第三十一条 燃气设施保护",
     "入户安检、抢修、维修、改管；户内维修工、改管员、营业所所长", 20),
    ("GB 55009-2021 燃气工程项目规范", "standard", "住房和城乡建设部、国家市场监督管理总局",
     "第5章 输配管道及附属设施；第6章 燃气用户工程（强制性条文）",
     "户内燃气管道工程验收、置换通气；改管员、户内维修工", -10),
    ("CJJ 51-2016 城镇燃气设施运行、维护和抢修安全技术规程", "standard", "住房和城乡建设部",
     "第3章 基本规定；第4章 运行与维护（用户设施）；第6章 抢修",
     "抢修、维修、表箱维护、隐患整改；户内维修工、调度中心", 75),
    ("JJG 577-2012 膜式燃气表检定规程", "standard", "国家质量监督检验检疫总局",
     "计量性能要求；首次检定、后续检定和使用中检查；检定结果处理",
     "计量室：燃气表检定、检定证书和检定结果通知书；计量员、计量室主任", 120),
    ("中华人民共和国计量法（2018修正）", "law", "全国人民代表大会常务委员会",
     "第九条 强制检定的工作计量器具；第二十二条 计量检定人员",
     "计量室、换表、投诉表计鉴定；计量员、抄表员", 200),
    ("中华人民共和国消防法（2021修正）", "law", "全国人民代表大会常务委员会",
     "第十六条 机关、团体、企业、事业等单位应当履行的消防安全职责；第二十八条 消防设施器材",
     "营业厅、计量室、车辆：消防器材、疏散通道；全体岗位", 150),
    ("中华人民共和国环境保护法", "law", "全国人民代表大会常务委员会",
     "第六条 企业事业单位应当防止、减少环境污染；第四十二条 排放污染物的企业事业单位",
     "旧表、废旧管材和燃气具的处置，置换放散；全部门", 260),
    ("燃气燃烧器具安装维修管理规定", "regulation", "建设部",
     "第十一条 安装维修企业资质；第十五条 安装维修人员持证上岗",
     "燃气具安装、维修；户内维修工", 95),
    ("生产安全事故报告和调查处理条例", "regulation", "国务院",
     "第九条 事故报告时限；第十二条 报告内容",
     "事故（事件）报告；主任、专职安全员、营业所所长", 300),
]

AUDITS = [
    ("营业所HSE体系内部审核", "station", "4.3.2 法律法规和其他要求；4.4.6 运行控制；4.5.3 不符合、纠正和预防措施", -40),
    ("抢修班组运行控制审核", "repair_crew", "4.4.2 能力、培训和意识；4.4.7 应急准备和响应", -5),
    ("计量室检定过程审核", "metering_office", "4.4.6 运行控制；4.5.1 绩效测量和监视", 60),
    ("磁卡售气厅安全管理审核", "card_hall", "4.4.6 运行控制；4.4.7 应急准备和响应（消防）", 150),
]


def seed(officer, director, users: dict, today: date) -> dict:
    """The legal register, two evaluations, the audit programme and last year's approved review."""
    items = [legal.create(officer, {"title": t, "kind": k, "issuer": i, "clause": c, "applies_to": a,
                                    "next_review_on": today + timedelta(days=d)}, example=True)
             for t, k, i, c, a, d in LEGAL]
    legal.evaluate(officer, items[0], {"compliant": True, "evaluated_on": today - timedelta(days=30),
                                       "note": "核查安全生产责任制文件、三级安全教育记录和隐患排查台账，均符合要求。"})
    legal.evaluate(officer, items[1], {"compliant": False, "evaluated_on": today - timedelta(days=12),
                                       "note": "抽查2个片区入户安检记录，部分用户拒绝入户后未按规定书面告知并报告。"})
    auditor = users.get("director") or officer
    made = []
    for title, unit, clauses, days in AUDITS:
        planned = today + timedelta(days=days)
        made.append(audits.create_audit(officer, {"title": title, "unit": unit, "scope_clauses": clauses,
                                                  "auditor_id": auditor.id, "planned_on": planned}))
    done = made[0]
    audits.conduct(officer, done, done.planned_on, "审核营业所安全生产责任制、隐患整改台账和不符合项处理，总体运行有效。")
    audits.add_finding(officer, done, "4.5.3", "2起入户安检发现的二级隐患超过整改期限未复查，台账未记录原因。")
    review = audits.create_review(officer, {"year": today.year - 1, "held_on": date(today.year - 1, 12, 20),
                                            "participants": "主任、专职安全员、各营业所所长、计量室主任",
                                            "input_notes": "上级公司新发布《用户安全管理办法》；客户投诉以表计计量和维修时效为主。",
                                            "conclusion": "HSE管理体系总体适宜、充分、有效；需加强入户安检拒绝入户用户的跟踪管理。"})
    chief = users.get("station_chief") or officer
    audits.add_decision(officer, review, {"kind": "corrective", "description": "建立拒绝入户用户跟踪台账，每季度复访",
                                          "owner_id": chief.id, "due_on": date(today.year, 3, 31)})
    audits.add_decision(officer, review, {"kind": "action", "description": "组织全员学习CJJ 51-2016抢修章节",
                                          "owner_id": officer.id, "due_on": date(today.year, 6, 30)})
    audits.approve(director, review)
    # This year's review is being prepared: a draft for the director to approve.
    draft = audits.create_review(officer, {"year": today.year, "held_on": today,
                                           "participants": "主任、专职安全员、各营业所所长、计量室主任",
                                           "conclusion": "体系运行基本有效；抢修到场时间和隐患整改率需持续改进。"})
    audits.add_decision(officer, draft, {"kind": "corrective", "description": "超期未复查隐患纳入月度考核",
                                         "owner_id": chief.id, "due_on": today + timedelta(days=90)})
    return {"hse_legal_requirements": len(items), "hse_audits": len(made), "hse_management_reviews": 2}
