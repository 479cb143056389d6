"""What a resident types, and what the search must put in front of them (issue 5).

``CASES`` is the acceptance table for ``services.search``. Every row was written by reading the
seed catalogue (``assets/seed/*.json``), not by running the index:

* ``query`` — exactly what the person types: Hanzi, pinyin with or without spaces, initials, a
  mix of both, traditional characters, full-width letters, stray spaces and capitals.
* ``expected`` — one to three item ids that must all be among the top three hits, in any order.
  Rows only list items that are clearly the best answers: an item is listed only when nothing
  else could reasonably outrank it under the spec's ranking (exact > prefix > substring >
  pinyin > fuzzy sound > typo, ties by ``popularity``). Items without a popularity (policies,
  institutions) are listed only when they win on the kind of match, or when all of them fit.
* ``first`` — ``expected[0]`` must be the top hit. Set only where the answer is unambiguous:
  the best kind of match, or the most popular of equally good matches (e.g. ``残疾z`` reaches
  every 残疾证 keyword, and 残疾人证申领 is the most popular of them).
* ``kind_of_query`` — which requirement of the spec the row exercises; every tag in ``TAGS``
  must have at least two rows, so the coverage cannot silently shrink.
* ``match`` — when set, the ``MatchKind`` the hit for ``expected[0]`` must report (a fuzzy-sound
  query must say FUZZY, a misspelt syllable TYPO, a typed name EXACT, a reading PINYIN).
* ``note`` — which variant the row stands for (the fuzzy pair, ``v`` or ``u`` for ü, …).

Fuzzy and typo rows were checked against every reading of every character of the item (all of
pypinyin's heteronyms), so the fuzzy spelling is not secretly a correct reading of something.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import NamedTuple

import pytest

from services.search import MatchKind, SearchIndex
from tests.seed_catalogue import SEARCHED_KINDS, seed_records

KIND_BY_PREFIX = {"svc-": "service", "pol-": "policy", "inst-": "institution"}

# Ids used in more than one row or test.
APPLY = "svc-disability-card-apply"  # 残疾人证申领, popularity 98
RENEW = "svc-disability-card-renew"  # 残疾人证换领, 85
REISSUE = "svc-disability-card-reissue"  # 残疾人证补领, 70
SEVERE_CARE = "svc-severe-care-subsidy"  # 重度残疾人护理补贴, 92
HARDSHIP = "svc-hardship-living-subsidy"  # 困难残疾人生活补贴, 90
TRANSPORT = "svc-transport-subsidy"  # 残疾人交通补贴, 80
FITTING = "svc-assistive-device-fitting"  # 辅助器具适配, 86
RENTAL = "svc-assistive-device-rental"  # 辅助器具租赁, 30
LEGAL_AID = "svc-legal-aid"  # 法律援助, 46
LEGAL_AID_LAW = "pol-legal-aid-law"  # 《中华人民共和国法律援助法》
LEGAL_AID_CENTER = "inst-shanghai-legal-aid-center"  # 上海市法律援助中心
SUNSHINE_HOME = "svc-sunshine-home"  # 阳光之家, 65
HEART_GARDEN = "svc-sunshine-heart-garden"  # 阳光心园, 62
GUIDE_DOG = "svc-guide-dog"  # 导盲犬申请与使用, 22
BARRIER_FREE_LAW = "pol-barrier-free-environment-law"  # keyword 导盲犬
SIGN_TRAINING = "svc-sign-language-training"  # 国家通用手语培训, 28 (keyword 手语)
SIGN_INTERPRETING = "svc-sign-language-interpreting"  # 手语翻译服务, 42
CHILD_REHAB = "svc-child-rehab-aid"  # 残疾儿童康复救助, 88
COMMUNITY_REHAB = "svc-community-rehab"  # 社区康复服务, 60
EMPLOYMENT = "svc-employment-assistance"  # 残疾人就业援助, 70
STUDENT_AID = "svc-student-aid"  # 残疾学生助学, 45 (keyword 残疾人子女)
RENOVATION = "svc-home-accessibility-renovation"  # 困难残疾人家庭无障碍改造, 75
BLIND_TRAVEL = "svc-blind-travel-assist"  # 助盲出行, 40
ACCESSIBLE_READING = "svc-accessible-reading"  # 盲人读物与视障阅读服务, 38
HOME_CARE = "svc-home-care"  # 重度残疾人居家养护, 58
UNEMPLOYED = "svc-severe-unemployed-allowance"  # 重残无业人员生活补助, 50


class Case(NamedTuple):
    query: str
    expected: tuple[str, ...]
    first: bool
    kind_of_query: str
    match: MatchKind | None = None
    note: str = ""


TAGS = frozenset(
    {
        "hanzi_substring",
        "hanzi_exact",
        "pinyin_full",
        "pinyin_spaced",
        "initials",
        "mixed",
        "polyphone",
        "umlaut",
        "fuzzy",
        "typo",
        "synonym",
        "traditional",
        "policy",
        "institution",
        "normalisation",
    }
)
FUZZY_PAIRS = frozenset({"z/zh", "c/ch", "s/sh", "n/l", "f/h", "an/ang", "en/eng", "in/ing"})

E, PF, SUB, PY, FZ, TY = (
    MatchKind.EXACT,
    MatchKind.PREFIX,
    MatchKind.SUBSTRING,
    MatchKind.PINYIN,
    MatchKind.FUZZY,
    MatchKind.TYPO,
)

CASES: tuple[Case, ...] = (
    # --- Hanzi fragments of a name, keyword or description -------------------------------
    Case("护理", (SEVERE_CARE,), True, "hanzi_substring", PF),  # keyword 护理补贴
    Case("交通", (TRANSPORT,), True, "hanzi_substring", PF),  # keyword 交通补贴
    Case("扶手", (RENOVATION,), True, "hanzi_substring", SUB),  # keyword 家里装扶手
    Case("盲文", (ACCESSIBLE_READING,), True, "hanzi_substring", PF),  # keyword 盲文书
    Case("心园", (HEART_GARDEN,), True, "hanzi_substring", SUB),
    Case("门铃", (RENOVATION,), True, "hanzi_substring", SUB),  # keyword 闪光门铃
    Case("燃油", ("svc-wheelchair-fuel-subsidy",), True, "hanzi_substring", PF),
    # --- A whole name (or a keyword, which counts as exact) ------------------------------
    Case("残疾人证申领", (APPLY,), True, "hanzi_exact", E),
    Case("辅助器具适配", (FITTING,), True, "hanzi_exact", E),
    Case("助盲出行", (BLIND_TRAVEL,), True, "hanzi_exact", E),
    Case("困难残疾人生活补贴", (HARDSHIP,), True, "hanzi_exact", E),
    Case("阳光之家", (SUNSHINE_HOME,), True, "hanzi_exact", E),
    Case("法律援助", (LEGAL_AID, LEGAL_AID_LAW), True, "hanzi_exact", E),
    Case("人工耳蜗", (CHILD_REHAB,), True, "hanzi_exact", E),  # keyword
    Case("手语", (SIGN_TRAINING, SIGN_INTERPRETING), True, "hanzi_exact", E),  # keyword 手语
    # --- Full pinyin, no spaces ----------------------------------------------------------
    Case("canjirenzhengshenling", (APPLY,), True, "pinyin_full", PY),
    Case("canjirenzheng", (APPLY, RENEW), True, "pinyin_full", PY),
    Case("fuzhuqiju", (FITTING, RENTAL), True, "pinyin_full", PY),
    Case("yangguangxinyuan", (HEART_GARDEN,), True, "pinyin_full", PY),
    Case("shouyufanyi", (SIGN_INTERPRETING,), True, "pinyin_full", PY),
    Case("kangfuxunlian", (CHILD_REHAB, COMMUNITY_REHAB), True, "pinyin_full", PY),
    Case("wuzhangaigaizao", (RENOVATION,), True, "pinyin_full", PY),
    Case("jiaotongbutie", (TRANSPORT,), True, "pinyin_full", PY),
    Case("daomangquan", (GUIDE_DOG, BARRIER_FREE_LAW), False, "pinyin_full", PY),
    # --- Full pinyin, syllables separated by spaces --------------------------------------
    Case("can ji ren zheng", (APPLY, RENEW), True, "pinyin_spaced", PY),
    Case("fu zhu qi ju", (FITTING, RENTAL), True, "pinyin_spaced", PY),
    Case("jiu ye yuan zhu", (EMPLOYMENT,), True, "pinyin_spaced", PY),
    Case("zhu mang chu xing", (BLIND_TRAVEL,), True, "pinyin_spaced", PY),
    Case("yang guang zhi jia", (SUNSHINE_HOME,), True, "pinyin_spaced", PY),
    Case("shou yu", (SIGN_TRAINING, SIGN_INTERPRETING), False, "pinyin_spaced", PY),
    # --- Initials ------------------------------------------------------------------------
    Case("cjrz", (APPLY, RENEW), True, "initials", PY),
    Case("fzqj", (FITTING, RENTAL), True, "initials", PY),
    Case("syfy", (SIGN_INTERPRETING,), True, "initials", PY),
    Case("ygxy", (HEART_GARDEN,), True, "initials", PY),
    Case("jtbt", (TRANSPORT,), True, "initials", PY),
    Case("zdcjrhlbt", (SEVERE_CARE,), True, "initials", PY),
    # --- Hanzi and pinyin mixed ----------------------------------------------------------
    Case("残疾z", (APPLY, RENEW, REISSUE), True, "mixed", PY),
    Case("残j人证", (APPLY, RENEW), True, "mixed", PY),
    Case("阳光x", (HEART_GARDEN,), True, "mixed", PY),
    Case("轮椅c", ("svc-wheelchair-fuel-subsidy",), True, "mixed", PY),  # keyword 轮椅车
    Case("重度残疾人hl", (SEVERE_CARE,), True, "mixed", PY),
    Case("shou语", (SIGN_TRAINING, SIGN_INTERPRETING), False, "mixed", PY),
    # --- Polyphones: the reading that fits the word ---------------------------------------
    Case("zhongdu", (SEVERE_CARE, HOME_CARE), True, "polyphone", PY, "重 zhong"),
    Case("chongxinpingcan", (RENEW,), True, "polyphone", PY, "重 chong"),  # keyword 重新评残
    Case("zhongcan", (SEVERE_CARE, UNEMPLOYED, HOME_CARE), False, "polyphone", PY, "重 zhong"),
    Case("chuxingbutie", (TRANSPORT,), True, "polyphone", PY, "行 xing"),
    Case("zhuxingqi", (FITTING,), True, "polyphone", PY, "行 xing"),  # keyword 助行器
    Case(
        "minhang",
        ("inst-minhang-dpf", "inst-minhang-jiangchuanlu-cac"),
        False,
        "polyphone",
        PY,
        "行 hang",
    ),
    Case(
        "changning", ("inst-changning-huayanglu-sunshine-home",), True, "polyphone", PY, "长 chang"
    ),
    Case(
        "changshoulu", ("inst-putuo-changshoulu-sunshine-home",), True, "polyphone", PY, "长 chang"
    ),
    # --- ü typed as v or as u --------------------------------------------------------------
    Case("falvyuanzhu", (LEGAL_AID, LEGAL_AID_LAW, LEGAL_AID_CENTER), False, "umlaut", PY, "v"),
    Case("faluyuanzhu", (LEGAL_AID, LEGAL_AID_LAW, LEGAL_AID_CENTER), False, "umlaut", PY, "u"),
    Case("mianfeilvshi", (LEGAL_AID, LEGAL_AID_LAW), False, "umlaut", PY, "v"),
    Case("mianfeilushi", (LEGAL_AID, LEGAL_AID_LAW), False, "umlaut", PY, "u"),
    Case("canjirenzinv", (STUDENT_AID,), True, "umlaut", PY, "v"),  # keyword 残疾人子女
    Case("canjirenzinu", (STUDENT_AID,), True, "umlaut", PY, "u"),
    Case("falvweiquan", (LEGAL_AID, "svc-rights-protection"), True, "umlaut", PY, "v"),
    Case("falüyuanzhu", (LEGAL_AID, LEGAL_AID_LAW, LEGAL_AID_CENTER), False, "umlaut", PY, "ü"),
    # --- Fuzzy sounds: ranked below exact readings, and reported as FUZZY ------------------
    Case("canjirenzeng", (APPLY, RENEW), True, "fuzzy", FZ, "z/zh"),  # 证 zheng
    Case("chanjirenzheng", (APPLY, RENEW), True, "fuzzy", FZ, "c/ch"),  # 残 can
    Case("souyufanyi", (SIGN_INTERPRETING,), True, "fuzzy", FZ, "s/sh"),  # 手 shou
    Case("kunlan", (HARDSHIP, RENOVATION), True, "fuzzy", FZ, "n/l"),  # 难 nan
    Case("nongren", (SIGN_INTERPRETING, SIGN_TRAINING), False, "fuzzy", FZ, "n/l"),  # 聋 long
    Case("huzhuqiju", (FITTING, RENTAL), True, "fuzzy", FZ, "f/h"),  # 辅 fu
    Case("yanguangxinyuan", (HEART_GARDEN,), True, "fuzzy", FZ, "an/ang"),  # 阳 yang
    Case("shenhuobuzhu", (UNEMPLOYED,), True, "fuzzy", FZ, "en/eng"),  # 生 sheng
    Case("yangguangxingyuan", (HEART_GARDEN,), True, "fuzzy", FZ, "in/ing"),  # 心 xin
    # --- One typo inside one syllable ----------------------------------------------------
    Case("canjirenzhrng", (APPLY, RENEW), True, "typo", TY),  # zheng → zhrng
    Case("jiaotongbutiw", (TRANSPORT,), True, "typo", TY),  # tie → tiw
    Case("kangfuxunlisn", (CHILD_REHAB, COMMUNITY_REHAB), True, "typo", TY),  # lian → lisn
    Case("yangguangzhojia", (SUNSHINE_HOME,), True, "typo", TY),  # zhi → zho
    Case("shouyufanyii", (SIGN_INTERPRETING,), True, "typo", TY),  # yi → yii
    # zhenh: zheng with g → h, or zhen (en/eng) + the h of 换领 — both cards belong on top.
    Case("canjirenzhenh", (APPLY, RENEW), False, "typo"),
    # kangfy: fu → fy; "kang f y" also spells 康复医… by initials, so only ask for the top three.
    Case("kangfy", (CHILD_REHAB,), False, "typo"),
    # --- Synonyms and colloquial words kept as data --------------------------------------
    Case("残疾证", (APPLY, RENEW), True, "synonym", E),  # → 残疾人证
    Case("轮椅", (FITTING, RENTAL), True, "synonym", E),  # → 辅助器具
    Case("盲人", (BLIND_TRAVEL, ACCESSIBLE_READING), False, "synonym"),  # → 视力残疾
    Case("找工作", (EMPLOYMENT,), True, "synonym", E),  # → 就业
    Case("补贴", (SEVERE_CARE, HARDSHIP, TRANSPORT), True, "synonym"),  # → the subsidies
    Case("自闭症", (CHILD_REHAB,), True, "synonym", E),  # colloquial keyword
    Case("搬家", ("svc-disability-card-transfer",), True, "synonym", E),
    Case("打官司", (LEGAL_AID,), True, "synonym", E),
    Case("年审", ("svc-disability-card-update",), True, "synonym", E),
    Case("油补", ("svc-wheelchair-fuel-subsidy",), True, "synonym", E),
    Case("智障", (SUNSHINE_HOME,), True, "synonym", E),
    Case("没工作", (UNEMPLOYED,), True, "synonym", E),
    # --- Traditional characters ----------------------------------------------------------
    Case("殘疾人證", (APPLY, RENEW), True, "traditional", E),
    Case("輪椅", (FITTING, RENTAL), True, "traditional", E),
    Case("護理補貼", (SEVERE_CARE,), True, "traditional", E),
    Case("陽光之家", (SUNSHINE_HOME,), True, "traditional", E),
    Case("導盲犬", (GUIDE_DOG, BARRIER_FREE_LAW), False, "traditional", E),
    Case("殘疾證", (APPLY, RENEW), True, "traditional", E),
    Case("聾人", (SIGN_TRAINING,), True, "traditional", E),
    Case("長寧", ("inst-changning-huayanglu-sunshine-home",), True, "traditional", PF),
    # --- Policies --------------------------------------------------------------------------
    Case("残疾人就业条例", ("pol-employment-regulation",), True, "policy", E),
    Case(
        "残疾人保障法",
        ("pol-disability-protection-law", "pol-shanghai-implementation-measures"),
        True,
        "policy",
        E,
    ),
    Case("jiuyetiaoli", ("pol-employment-regulation",), True, "policy", PY),
    Case("jingshenweishengfa", ("pol-mental-health-law",), True, "policy", PY),
    Case("flyzf", (LEGAL_AID_LAW,), True, "policy", PY),  # 法律援助法
    Case("无障碍条例", ("pol-shanghai-barrier-free-regulation",), True, "policy", E),
    Case("两项补贴", (SEVERE_CARE, HARDSHIP, "pol-two-subsidies-opinion"), True, "policy", E),
    Case("残疾人证管理办法", ("pol-disability-card-measures",), True, "policy", SUB),
    Case("shisiwu", ("pol-14th-five-year-plan",), True, "policy", PY),
    Case("ronghejiaoyu", ("pol-education-regulation",), True, "policy", PY),
    # --- Institutions: by name, district, kind, address -------------------------------------
    Case("上海市盲人协会", ("inst-shanghai-blind-association",), True, "institution", E),
    Case("养志", ("inst-yangzhi-rehab-hospital",), True, "institution", SUB),
    Case("长宁", ("inst-changning-huayanglu-sunshine-home",), True, "institution", PF),
    Case(
        "松江",
        ("inst-songjiang-yueyang-sunshine-base", "inst-yangzhi-rehab-hospital"),
        True,
        "institution",
        PF,
    ),
    Case(
        "徐汇",
        ("inst-xuhui-dpf", "inst-xuhui-tianpinglu-sunshine-home"),
        False,
        "institution",
        PF,
    ),
    Case("pudong", ("inst-pudong-dpf", "inst-pudong-lujiazui-cac"), False, "institution", PY),
    Case("lujiazui", ("inst-pudong-lujiazui-cac",), True, "institution", PY),
    Case("四川北路", ("inst-hongkou-sichuanbeilu-sunshine-heart",), True, "institution", SUB),
    Case("五角场", ("inst-yangpu-wujiaochang-sunshine-heart",), True, "institution", SUB),
    Case("辅具中心", ("inst-assistive-device-center",), True, "institution", E),  # kind
    Case("康复机构", ("inst-yangzhi-rehab-hospital",), True, "institution", E),  # kind
    Case("就业服务", ("inst-shanghai-disabled-employment-center",), True, "institution", E),
    Case("宛平南路", ("inst-shanghai-mental-health-center",), True, "institution", SUB),
    Case(
        "图书馆",
        ("inst-shanghai-library", ACCESSIBLE_READING),
        False,
        "institution",
        SUB,
    ),
    Case(
        "jiuyefuwuzhongxin",
        ("inst-shanghai-disabled-employment-center",),
        True,
        "institution",
        PY,
    ),
    # --- Spaces, capitals, full-width letters ------------------------------------------------
    Case("ＣＪＲＺ", (APPLY, RENEW), True, "normalisation", PY, "full-width"),
    Case("CJRZ", (APPLY, RENEW), True, "normalisation", PY, "upper case"),
    Case("CanJiRenZheng", (APPLY, RENEW), True, "normalisation", PY, "mixed case"),
    Case("  残疾人证申领 ", (APPLY,), True, "normalisation", E, "outer spaces"),
    Case("Fu Zhu Qi Ju", (FITTING, RENTAL), True, "normalisation", PY, "spaces and capitals"),
    Case("ｆｕｚｈｕｑｉｊｕ", (FITTING, RENTAL), True, "normalisation", PY, "full-width"),
    Case(
        "ＳＨＯＵＹＵＦＡＮＹＩ",
        (SIGN_INTERPRETING,),
        True,
        "normalisation",
        PY,
        "full-width capitals",
    ),
    Case("残疾人证 申领", (APPLY,), True, "normalisation", None, "inner space"),
)


_seed = cache(seed_records)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    """The whole seed catalogue — services, policies and institutions — in one index."""
    index = SearchIndex()
    for kind in SEARCHED_KINDS:
        for item in _seed(kind):
            index.upsert(kind, item)
    return index


def _describe(result) -> str:
    return ", ".join(f"{h.id} ({h.match.name} on {h.field})" for h in result.hits) or "no hits"


def _hit(result, item_id: str):
    for hit in result.hits:
        if hit.id == item_id:
            return hit
    raise AssertionError(f"{item_id} is not among the hits: {_describe(result)}")


@pytest.mark.parametrize("case", CASES, ids=[case.query for case in CASES])
def test_query_finds_expected_in_top_three(index: SearchIndex, case: Case) -> None:
    result = index.search(case.query, limit=3)
    got = [hit.id for hit in result.hits]
    where = f"{case.query!r} ({case.kind_of_query}) → {_describe(result)}"
    assert len(got) <= 3, where
    missing = [item_id for item_id in case.expected if item_id not in got]
    assert not missing, f"{where}; missing {missing}"
    if case.first:
        assert got[0] == case.expected[0], f"{where}; {case.expected[0]} should be first"
    if case.match is not None:
        hit = _hit(result, case.expected[0])
        assert hit.match is case.match, f"{where}; {hit.id} should match {case.match.name}"


def test_table_covers_every_kind_of_query() -> None:
    assert len(CASES) >= 75
    counts = Counter(case.kind_of_query for case in CASES)
    assert set(counts) <= TAGS, f"unknown tags: {set(counts) - TAGS}"
    thin = {tag: counts[tag] for tag in sorted(TAGS) if counts[tag] < 2}
    assert not thin, f"every kind of query needs at least two rows: {thin}"
    fuzzy = {case.note for case in CASES if case.kind_of_query == "fuzzy"}
    assert fuzzy >= FUZZY_PAIRS, f"fuzzy pairs without a row: {FUZZY_PAIRS - fuzzy}"
    assert all(case.match is MatchKind.FUZZY for case in CASES if case.kind_of_query == "fuzzy")
    umlaut = {case.note for case in CASES if case.kind_of_query == "umlaut"}
    assert {"v", "u"} <= umlaut
    polyphones = {case.note for case in CASES if case.kind_of_query == "polyphone"}
    assert {"重 zhong", "重 chong", "行 xing", "行 hang", "长 chang"} <= polyphones
    assert any(case.match is MatchKind.TYPO for case in CASES if case.kind_of_query == "typo")


def test_table_is_well_formed() -> None:
    queries = [case.query for case in CASES]
    assert len(queries) == len(set(queries)), "each query once, so the test ids stay unique"
    known = {item["id"] for kind in SEARCHED_KINDS for item in _seed(kind)}
    for case in CASES:
        assert 1 <= len(case.expected) <= 3, case
        assert len(set(case.expected)) == len(case.expected), case
        unknown = [item_id for item_id in case.expected if item_id not in known]
        assert not unknown, f"{case.query!r}: ids not in the seed catalogue: {unknown}"
        assert all(item_id.startswith(tuple(KIND_BY_PREFIX)) for item_id in case.expected), case


def test_fuzzy_sound_ranks_below_exact_reading(index: SearchIndex) -> None:
    exact = _hit(index.search("canjirenzheng", limit=3), APPLY)
    assert exact.match is MatchKind.PINYIN
    fuzzy = _hit(index.search("canjirenzeng", limit=3), APPLY)  # 证 is zheng, not zeng
    assert fuzzy.match is MatchKind.FUZZY

    # jishu is 学技术 (ji shu) exactly, and 寄宿 (ji su) only by the s/sh fuzzy sound: the exact
    # reading must come first even though 残疾人托养服务 (52) is more popular than 职业培训 (50).
    result = index.search("jishu", limit=3)
    got = [hit.id for hit in result.hits]
    assert got[:2] == ["svc-vocational-training", "svc-residential-care"], _describe(result)
    assert result.hits[0].match is MatchKind.PINYIN
    assert result.hits[1].match is MatchKind.FUZZY


def test_typo_query_reports_typo(index: SearchIndex) -> None:
    assert _hit(index.search("canjirenzhrng", limit=3), APPLY).match is MatchKind.TYPO  # e → r
    assert _hit(index.search("jiaotongbutiw", limit=3), TRANSPORT).match is MatchKind.TYPO
    # Spelt right, the same words are a plain pinyin match.
    assert _hit(index.search("jiaotongbutie", limit=3), TRANSPORT).match is MatchKind.PINYIN


@pytest.mark.parametrize(
    ("query", "item_id", "field"),
    [
        ("残疾人证申领", APPLY, "name"),
        ("辅助器具适配", FITTING, "name"),
        ("重度残疾人居家养护", HOME_CARE, "name"),
        ("上海市盲人协会", "inst-shanghai-blind-association", "name"),
        # The title is stored as 《残疾人就业条例》; nobody types the book-title marks.
        ("残疾人就业条例", "pol-employment-regulation", "title"),
    ],
)
def test_exact_name_reports_exact_on_name(
    index: SearchIndex, query: str, item_id: str, field: str
) -> None:
    result = index.search(query, limit=3)
    assert result.hits, f"{query!r} found nothing"
    top = result.hits[0]
    assert top.id == item_id, _describe(result)
    assert top.match is MatchKind.EXACT
    assert top.field == field


def test_hits_report_the_kind_they_were_added_as(index: SearchIndex) -> None:
    # 法律援助 is a service, a policy keyword and an institution's name.
    result = index.search("falvyuanzhu", limit=3)
    kinds = {hit.id: getattr(hit.kind, "value", hit.kind) for hit in result.hits}
    assert kinds == {
        LEGAL_AID: "service",
        LEGAL_AID_LAW: "policy",
        LEGAL_AID_CENTER: "institution",
    }, _describe(result)


def test_count_is_total_not_page(index: SearchIndex) -> None:
    for query in ("残疾", "canji", "cj", "补贴", "阳光", "zhongdu"):
        result = index.search(query, limit=3)
        assert len(result.hits) <= 3, query
        assert result.total >= len(result.hits), query
    # 残疾 is in almost every name, keyword and description: far more than one page.
    assert index.search("残疾", limit=3).total > 3
