"""The demo city's HSE registers: what a gas utility's customer-service department really writes down.
Text is in Chinese, as the department keeps it; codes and numbers follow RULES.md §8."""

# unit, activity, hazard, category, accident type, state, (L, E, C), direct criteria,
# (engineering, management, training, PPE, emergency), residual (L, E, C), owner username, review in days
HAZARDS = [
    ("repair_crew", "入户燃气泄漏抢修", "室内积聚燃气遇电器开关、手机或工具火花引爆", "environment", "other_explosion",
     "emergency", ("3", "3", "40"), [],
     ("防爆手电、铜制防爆工具、便携式可燃气体检测仪", "抢修作业规程：先关表前阀、开窗通风，两人到场，禁止操作电器",
      "每年泄漏应急演练一次", "阻燃工作服、防静电鞋", "浓度超过20%LEL立即疏散并报119"), ("1", "3", "40"),
     "repair_tech", 20),
    ("repair_crew", "高层户外立管维修", "在梯子、外墙或窗外作业时坠落", "environment", "fall_from_height", "normal",
     ("6", "2", "15"), [],
     ("使用检验合格的伸缩梯、高处作业吊篮", "2米以上作业办理高处作业审批，设专人监护", "高处作业安全培训",
      "安全带（双钩）、安全帽", "坠落救援预案，急救箱随车"), ("1", "2", "15"), "station_chief", 90),
    ("pipe_crew", "表前管改造开挖", "挖破邻近中压燃气管道导致泄漏着火", "management", "fire", "abnormal",
     ("1", "2", "40"), ["past_accident"],
     ("开挖前用管线探测仪定位，人工开挖", "核对管网图，开挖审批，现场监护", "第三方破坏案例教育",
      "安全帽、反光背心", "配备灭火器，泄漏时立即关断上游阀门"), ("0.5", "2", "40"), "pipe_fitter", -5),
    ("pipe_crew", "沟槽开挖", "沟壁坍塌掩埋作业人员", "environment", "collapse", "normal", ("1", "2", "15"), [],
     ("深度超过1.5米放坡或支护", "开挖方案审批", "土方作业安全交底", "安全帽", "坍塌救援预案"), None,
     "pipe_fitter", 200),
    ("office", "驾驶工程车、电动车往返作业点", "交通事故造成人员伤亡", "person", "vehicle", "normal",
     ("3", "6", "15"), [],
     ("车辆定期年检、行车记录仪", "禁止疲劳驾驶和超速，车辆出入登记", "每年交通安全教育", "电动车头盔",
      "交通事故处置流程"), ("1", "6", "15"), "director", 25),
    ("metering_office", "检定台架空气压缩机运行", "储气罐超压或腐蚀爆炸", "equipment", "vessel_explosion", "normal",
     ("0.5", "6", "15"), [],
     ("安全阀、压力表定期校验", "压力容器定期检验，每日排水", "设备操作规程培训", "护目镜、耳塞",
      "停机泄压程序"), ("0.2", "6", "15"), "metering_head", 60),
    ("metering_office", "电气检定设备使用", "设备漏电或接线错误导致触电", "equipment", "electric_shock", "normal",
     ("1", "6", "7"), [],
     ("设备接地、漏电保护器每月试跳", "持证操作，禁止带电接线", "电气安全培训", "绝缘鞋", "触电急救（心肺复苏）"),
     None, "metering_head", 150),
    ("reading_team", "进入密闭表间、地下室抄表安检", "燃气积聚导致窒息或中毒", "environment", "poisoning_asphyxiation",
     "normal", ("1", "3", "40"), ["observed_danger"],
     ("进入前用检测仪检测，机械通风", "有限空间作业审批，一人作业一人监护", "有限空间作业培训", "便携式四合一检测仪",
      "有限空间救援预案，禁止盲目施救"), ("0.5", "3", "40"), "safety_officer", 10),
    ("station", "加臭剂（四氢噻吩）搬运补充", "加臭剂泄漏吸入或溅入眼睛", "equipment", "poisoning_asphyxiation",
     "normal", ("1", "1", "7"), [],
     ("密闭加注装置", "专人负责、双人操作", "化学品安全技术说明书培训", "防毒面具、护目镜、防化手套",
      "洗眼器、泄漏吸附棉"), None, "station_chief", 120),
    ("repair_crew", "新用户置换通气点火", "放散燃气遇明火或静电燃爆", "equipment", "other_explosion", "normal",
     ("1", "6", "40"), [],
     ("放散管引至室外，使用检测仪确认置换合格", "置换方案，点火前清除火源", "置换作业技能培训", "防静电服",
      "燃爆应急处置"), ("0.5", "6", "40"), "repair_tech", 45),
    ("reading_team", "入户抄表、催费", "犬只咬伤、楼梯湿滑摔伤", "environment", "other_injury", "normal",
     ("3", "6", "3"), [],
     ("", "入户前敲门确认，雨天穿防滑鞋", "入户服务安全提示", "防滑鞋", "狂犬疫苗接种流程"), None, "meter_reader", 300),
    ("card_hall", "售气厅现金收付", "抢劫或客户冲突造成伤害", "person", "other_injury", "normal", ("0.5", "10", "7"), [],
     ("监控、一键报警、防护柜台", "现金日清、大额押运", "冲突应对培训", "", "报警与疏散程序"), None,
     "card_clerk", 80),
    ("pipe_crew", "改管切割、焊接动火", "焊渣引燃可燃物或灼伤", "equipment", "burn_scald", "normal",
     ("3", "3", "7"), [],
     ("动火点清理可燃物，配灭火器", "动火作业许可证", "动火作业培训", "焊接面罩、焊工手套", "火灾扑救"),
     ("1", "3", "7"), "pipe_fitter", 35),
    ("pipe_crew", "手持电动套丝机作业", "衣袖、手套被旋转部件卷入", "equipment", "machinery", "normal",
     ("3", "3", "3"), [],
     ("防护罩", "禁止戴手套操作旋转设备", "设备操作培训", "紧袖口工作服", "急停与急救"), None, "pipe_fitter", 400),
    ("repair_crew", "灶前压力测试", "测压接头脱落漏气", "equipment", "fire", "normal", ("0.5", "6", "7"), [],
     ("专用测压接头", "测试后检漏", "岗位技能培训", "", "关阀通风"), None, "repair_tech", -20),
]

# unit, activity, aspect, impact, kind, scores, owner username, review in days
ASPECTS = [
    ("repair_crew", "置换通气、管道放散", "甲烷放散排放", "温室气体排放、局部燃爆风险", "pollution",
     {"a": 3, "b": 3, "c": 4, "d": 3, "e": 2}, "repair_tech", 60),
    ("station", "加臭剂储存与补充", "四氢噻吩挥发、泄漏", "恶臭扰民、居民投诉", "pollution",
     {"a": 3, "b": 3, "c": 2, "d": 5, "e": 2}, "station_chief", 15),
    ("metering_office", "燃气表报废", "报废燃气表（金属、塑料）", "固体废物占用土地", "pollution",
     {"a": 2, "b": 3, "c": 3, "d": 1, "e": 3}, "metering_head", 180),
    ("metering_office", "IC卡表、智能表更换", "废锂电池、废电路板", "危险废物污染土壤和水体", "pollution",
     {"a": 2, "b": 5, "c": 3, "d": 3, "e": 3}, "metering_head", -3),
    ("pipe_crew", "管道切割、防腐刷漆", "金属边角料、废油漆桶", "固体废物、挥发性有机物", "pollution",
     {"a": 1, "b": 3, "c": 2, "d": 1, "e": 3}, "pipe_fitter", 220),
    ("office", "车辆运行", "汽车尾气排放", "大气污染", "pollution", {"a": 3, "b": 1, "c": 5, "d": 1, "e": 2},
     "director", 120),
    ("pipe_crew", "夜间抢修开挖", "施工噪声、扬尘", "扰民、投诉", "pollution", {"a": 2, "b": 3, "c": 2, "d": 3, "e": 2},
     "pipe_fitter", 90),
    ("office", "工程车辆用油", "汽油、柴油消耗", "不可再生资源消耗", "resource", {"f": 5, "g": 3}, "director", 40),
    ("office", "办公用纸、工单打印", "纸张消耗", "森林资源消耗", "resource", {"f": 1, "g": 3}, "statistician", 200),
    ("metering_office", "检定台架、办公用电", "电能消耗", "能源消耗", "resource", {"f": 3, "g": 3}, "metering_head", 150),
]

# name, description, {role: interval in months}
TOPICS = [
    ("燃气泄漏应急处置", "泄漏判断、关阀、通风、疏散与报警",
     {"repair_tech": 12, "pipe_fitter": 12, "meter_reader": 12, "station_chief": 12, "safety_officer": 12}),
    ("安全生产法律法规与岗位职责", "安全生产法、城镇燃气管理条例、岗位安全职责",
     {role: 24 for role in ("director", "safety_officer", "station_chief", "repair_tech", "pipe_fitter",
                            "meter_reader", "card_clerk", "statistician", "metering_head", "metering_tech")}),
    ("有限空间作业安全", "检测、通风、监护与救援", {"meter_reader": 12, "repair_tech": 12, "pipe_fitter": 12}),
    ("高处作业安全", "安全带、梯子与吊篮使用", {"repair_tech": 12, "pipe_fitter": 12}),
    ("动火作业安全", "动火许可、防火措施", {"pipe_fitter": 12}),
    ("计量检定设备安全操作", "台架、空压机与电气设备", {"metering_tech": 12, "metering_head": 24}),
    ("入户安检与客户安全宣传规范", "安检项目、隐患告知、宣传用语",
     {"repair_tech": 12, "meter_reader": 12, "card_clerk": 24}),
    ("交通安全与驾驶", "防御性驾驶、电动车安全", {"repair_tech": 24, "pipe_fitter": 24, "meter_reader": 24}),
]

# topic, months ago, hours, trainer, place, attendee roles
SESSIONS = [
    ("燃气泄漏应急处置", 14, "4", "吴海燕", "营业所会议室", ("repair_tech", "pipe_fitter", "meter_reader", "station_chief")),
    ("燃气泄漏应急处置", 3, "4", "吴海燕", "抢修演练场", ("repair_tech", "pipe_fitter", "safety_officer")),
    ("安全生产法律法规与岗位职责", 10, "3", "市安监局讲师", "公司大会议室", None),
    ("有限空间作业安全", 11, "2", "吴海燕", "营业所会议室", ("meter_reader", "repair_tech")),
    ("高处作业安全", 5, "2", "外聘讲师", "培训中心", ("repair_tech", "pipe_fitter")),
    ("动火作业安全", 13, "2", "吴海燕", "培训中心", ("pipe_fitter",)),
    ("计量检定设备安全操作", 2, "3", "杨文博", "计量室", ("metering_tech", "metering_head")),
    ("入户安检与客户安全宣传规范", 6, "3", "吴海燕", "营业所会议室", ("repair_tech", "meter_reader", "card_clerk")),
]

# year offset, unit, owner username, objective, indicator, direction, target, measure, actual, programme
OBJECTIVES = [
    ("office", "safety_officer", "杜绝责任性燃气安全事故", "责任性燃气安全事故", "at_most", "0", "起", "0",
     "落实全员安全生产责任制；每月安全例会；重大危险源专人管控"),
    ("station", "station_chief", "民用户入户安检全覆盖", "民用户年度入户安检率", "at_least", "98", "%", "91.5",
     "按片区制定年度安检计划；到访不遇三次后预约上门；每月通报进度"),
    ("repair_crew", "repair_tech", "户内隐患按期整改", "隐患按期整改率", "at_least", "95", "%", "88",
     "一级隐患当日处置、二级隐患7日内整改；整改后回访"),
    ("office", "safety_officer", "员工安全培训全覆盖", "年度安全培训覆盖率", "at_least", "100", "%", "85",
     "按培训矩阵组织培训，补训缺训人员"),
    ("metering_office", "metering_head", "计量器具按期检定", "标准器具按期检定率", "at_least", "100", "%", "100",
     "制定检定计划，到期前30天送检"),
    ("office", "director", "降低车辆油耗", "车辆百公里油耗", "at_most", "9", "L", "9.4",
     "优化派工路线；推广电动车；每月统计油耗"),
]

OBSERVATIONS = [
    ("meter_reader", "hazard", "地下室表间有明显燃气味，照明开关损坏", "幸福小区3栋地下室", "入户抄表"),
    ("repair_tech", "hazard", "户外立管固定卡子锈蚀脱落，管道晃动", "阳光花园12栋外墙", "入户安检"),
    ("pipe_fitter", "aspect", "施工后废油漆桶堆放在绿化带内", "建设路改管工地", "表前管改造"),
    ("card_clerk", "hazard", "售气厅排队区地垫翘起，容易绊倒", "城东营业厅", "售气"),
]

CAMPAIGNS = [
    ("冬季安全用气宣传", "关阀、通风、不私拆改；热水器安装在通风处", 60,
     [("幸福小区广场", 180, "宣传单300份、展板2块"), ("第一中学", 420, "安全用气知识讲座、宣传单500份"),
      ("城东营业厅", 95, "宣传单100份")]),
    ("安全用气进社区", "燃气泄漏怎么办；燃气具报废年限", 200,
     [("翠湖苑社区服务中心", 120, "宣传单200份、检漏刷50把")]),
]
