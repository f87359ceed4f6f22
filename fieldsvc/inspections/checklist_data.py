"""The first checklist version (seed data, RULES.md §6), in the order a technician walks the home:
detector at the door, the meter, the pipes, the kitchen, the bathroom, the bedrooms.

This is data, not code paths: it is copied into the checklist tables once; a later version is a new
row set (new items, other grades, other wording) and old inspections keep the version they used.
Fields: section, code, grade, zh label, en label, zh help, en help, categories (None: every customer).
"""

SECTIONS = ("entry", "meter", "pipes", "kitchen", "bathroom", "rooms")

DEFAULT_ITEMS: list[tuple] = [
    ("entry", "leak_detected", "A", "检测到燃气泄漏", "Gas leak detected",
     "进门即用检漏仪检测表前阀、表具、接头、灶具；闻到气味先开窗、禁用明火和电器。",
     "Test valves, meter, joints and appliances with the detector on entry; if it smells, ventilate "
     "and switch nothing on.", None),
    ("meter", "meter_damaged", "B", "燃气表损坏或铅封缺失", "Gas meter damaged or seal missing",
     "表壳破损、计数器不走或跳字、铅封断开。", "Cracked case, register not turning or jumping, seal broken.", None),
    ("meter", "meter_expired", "B", "燃气表超期使用", "Gas meter past its service life",
     "家用表天然气10年、液化气/人工煤气6年（自首次检定起）。",
     "Household meters: 10 years on NG, 6 on LPG/MG, from the first verification.", None),
    ("pipes", "illegal_modification", "A", "私自改装、拆装燃气设施", "Illegal modification of gas facilities",
     "私接三通、私移表具或管道、自行加装阀门。",
     "Unauthorised tees, meter or pipe moved, valves added by the customer.", None),
    ("pipes", "pipe_concealed", "A", "燃气管道被暗埋、暗封", "Gas pipe concealed or sealed in",
     "管道封在墙内、吊顶或橱柜内无法检查。",
     "Pipe built into a wall, ceiling or cabinet where it cannot be inspected.", None),
    ("pipes", "no_auto_shutoff_valve", "B", "未安装自闭阀/自动切断阀", "No self-closing / automatic shut-off valve",
     "灶前应有自闭阀；餐饮用户应有紧急自动切断阀。",
     "A self-closing valve before the stove; catering premises need an emergency shut-off valve.", None),
    ("pipes", "pipe_corrosion", "C", "管道锈蚀", "Pipe corrosion",
     "表面锈蚀建议除锈刷漆；严重锈蚀按二级隐患上报。",
     "Surface rust: advise cleaning and painting; heavy corrosion is reported as grade B.", None),
    ("pipes", "pipe_used_as_support", "C", "管道被挂物或作支撑", "Pipe used to hang things or as a support",
     "管道上悬挂重物、捆绑电线。", "Things hung on the pipe, cables tied to it.", None),
    ("pipes", "facility_obstructed", "C", "燃气设施被占压、遮挡", "Gas facilities obstructed",
     "表具、阀门被杂物遮挡，不便检修和紧急关闭。",
     "Meter or valves blocked by belongings: hard to service or shut in an emergency.", None),
    ("kitchen", "hose_aged", "B", "胶管老化、龟裂", "Hose aged or cracked",
     "弯折胶管查看是否有裂纹、变硬；建议更换为金属波纹管。",
     "Bend the hose: cracks or hardening mean it must go; advise a metal corrugated hose.", None),
    ("kitchen", "hose_over_2m", "B", "胶管超过2米", "Hose longer than 2 m", "", "", None),
    ("kitchen", "hose_joint", "B", "胶管有接头或未用管卡", "Hose with a joint or without clamps",
     "胶管中间不得有接头，两端须用管卡固定。", "No joints along the hose; clamps at both ends.", None),
    ("kitchen", "hose_through_wall", "B", "胶管穿墙、穿门窗", "Hose through a wall, door or window", "", "", None),
    ("kitchen", "no_flame_failure_device", "B", "灶具无熄火保护装置", "Stove without a flame-failure device", "", "",
     None),
    ("kitchen", "appliance_expired", "B", "燃气具超期使用", "Appliance past its service life",
     "灶具、热水器8年（人工煤气热水器6年），其他10年；系统按登记的购买日期自动判定。",
     "Stoves and water heaters 8 years (MG water heaters 6), others 10; judged from the date of "
     "purchase on file.", None),
    ("kitchen", "lpg_and_piped_same_room", "A", "液化气瓶与管道燃气同室使用",
     "LPG cylinder used in the same room as piped gas", "", "", None),
    ("kitchen", "poor_ventilation", "C", "通风不良", "Poor ventilation",
     "厨房无可开启窗户或长期封闭。", "No window that opens, or the kitchen kept closed.", None),
    ("kitchen", "no_gas_alarm_catering", "B", "餐饮场所未安装燃气报警器", "Catering premises without a gas alarm",
     "", "", "commercial,industrial"),
    ("bathroom", "flueless_heater_in_bathroom", "A", "浴室内安装直排式热水器",
     "Flueless water heater in the bathroom", "", "", None),
    ("bathroom", "flue_not_outdoors", "B", "热水器烟道未通向室外", "Water heater flue not led outdoors", "", "",
     None),
    ("rooms", "appliance_in_bedroom", "A", "燃气设施或燃具设在卧室", "Gas appliance or meter in a bedroom", "",
     "", None),
]


def items() -> list[dict]:
    """The seed items as row dicts with their walking order."""
    keys = ("section", "code", "grade", "label_zh", "label_en", "help_zh", "help_en", "categories")
    return [dict(zip(keys, row, strict=True), position=i) for i, row in enumerate(DEFAULT_ITEMS, start=1)]
