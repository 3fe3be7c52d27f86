"""The district's reference lists (DOMAIN.md), loaded by a data migration.

Kept in a plain module so that the migration, the demo data and the tests
read one list.
"""

PLATFORMS = [
    ("medicine-port", "杭州医药港", "Hangzhou Medicine Port"),
    ("dachuang-town", "大创小镇", "Dachuang Town"),
    ("chip-valley", "钱塘芯谷", "Qiantang Chip Valley"),
    ("linjiang-park", "临江高科园", "Linjiang High-tech Park"),
    ("qianjin-park", "前进智造园", "Qianjin Smart Manufacturing Park"),
]

# (code, name, English name, core area?)
CLUSTERS = [
    ("biomedicine", "生物医药与医疗器械", "Biomedicine and medical devices", True),
    ("nev", "新能源汽车及零部件", "New-energy vehicles and parts", True),
    ("iot", "智能物联", "Intelligent IoT", False),
    ("furniture-appliances", "现代家具与智能家电", "Modern furniture and smart appliances", False),
    ("ic", "集成电路", "Integrated circuits", False),
]

LEADING_INDUSTRIES = [
    ("vehicles", "汽车", "Vehicles"),
    ("pharma", "医药", "Pharmaceuticals"),
    ("chips", "芯", "Chips"),
    ("chemicals", "化", "Chemicals and new materials"),
    ("aerospace", "航", "Aviation and aerospace"),
]

UNIVERSITIES = [
    ("浙江理工大学", "Zhejiang Sci-Tech University"),
    ("杭州电子科技大学", "Hangzhou Dianzi University"),
    ("浙江工商大学", "Zhejiang Gongshang University"),
    ("中国计量大学", "China Jiliang University"),
    ("浙江财经大学", "Zhejiang University of Finance and Economics"),
    ("浙江传媒学院", "Communication University of Zhejiang"),
    ("浙江大学", "Zhejiang University"),
]

FUNDING_PROGRAMMES = [
    "浙江省\u201c尖兵领雁\u201d研发攻关计划",
    "杭州市重大科技创新项目",
]
