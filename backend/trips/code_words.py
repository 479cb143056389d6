"""Code words (暗号): two nouns the resident and the volunteer say to recognise each other.

Short, concrete, easy to hear and hard to mishear over street noise or a phone line: no two
words are read alike, even ignoring tones. Chosen with ``secrets`` so nobody can predict the
pair a trip will get.
"""

import secrets

WORDS: tuple[str, ...] = (
    "月亮", "太阳", "星星", "白云", "彩虹", "雪花", "大山", "河流",
    "森林", "花朵", "苹果", "西瓜", "香蕉", "葡萄", "橘子", "桃子",
    "雨伞", "书包", "铅笔", "钥匙", "手表", "眼镜", "帽子", "鞋子",
    "围巾", "手套", "椅子", "窗户", "灯笼", "风筝", "气球", "火车",
    "轮船", "飞机", "熊猫", "老虎", "兔子", "小狗", "小猫", "金鱼",
    "燕子", "孔雀", "骆驼", "海豚", "蝴蝶", "蜜蜂", "松树", "竹子",
    "荷花", "菊花", "梅花", "牡丹", "面包", "饺子", "米饭", "牛奶",
    "鸡蛋", "茶杯", "花瓶", "剪刀", "毛巾", "枕头", "钢琴", "笛子",
)  # fmt: skip

SEPARATOR = " "


def new_code_word() -> str:
    """Two different words joined by a space, e.g. "月亮 茶杯"."""
    first, second = secrets.SystemRandom().sample(WORDS, 2)
    return f"{first}{SEPARATOR}{second}"
