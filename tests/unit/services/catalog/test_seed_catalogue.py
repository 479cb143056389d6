"""Integrity checks for the bundled seed catalogue (assets/seed/*.json).

Stdlib only, no project imports: the data must stand on its own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache

import pytest

from tests.seed_catalogue import SEED_DIR

DISTRICT_NAMES = {
    "310101": "黄浦区",
    "310104": "徐汇区",
    "310105": "长宁区",
    "310106": "静安区",
    "310107": "普陀区",
    "310109": "虹口区",
    "310110": "杨浦区",
    "310112": "闵行区",
    "310113": "宝山区",
    "310114": "嘉定区",
    "310115": "浦东新区",
    "310116": "金山区",
    "310117": "松江区",
    "310118": "青浦区",
    "310120": "奉贤区",
    "310151": "崇明区",
}

SERVICE_CATEGORIES = {
    "残疾人证",
    "补贴津贴",
    "康复服务",
    "辅助器具",
    "教育就业",
    "无障碍",
    "出行服务",
    "托养照护",
    "文体活动",
    "法律维权",
}
INSTITUTION_KINDS = {
    "康复机构",
    "残联",
    "阳光之家",
    "阳光心园",
    "阳光基地",
    "辅具中心",
    "就业服务",
    "盲人/聋人协会",
    "社区事务受理服务中心",
    "其他",
}

MUST_SERVICES = [
    "残疾人证申领",
    "残疾人证换领",
    "残疾人证补领",
    "残疾人证迁移",
    "重度残疾人护理补贴",
    "困难残疾人生活补贴",
    "残疾人交通补贴",
    "辅助器具适配",
    "残疾儿童康复救助",
    "困难残疾人家庭无障碍改造",
    "助盲出行",
    "手语翻译服务",
    "阳光之家",
    "阳光心园",
    "阳光基地",
]
MUST_POLICIES = [
    "《中华人民共和国残疾人保障法》",
    "《中华人民共和国无障碍环境建设法》",
    "《上海市无障碍环境建设条例》",
    "《残疾人就业条例》",
    "《残疾预防和残疾人康复条例》",
    "《残疾人教育条例》",
    "《上海市实施〈中华人民共和国残疾人保障法〉办法》",
]
MUST_INSTITUTIONS = [
    "上海市残疾人联合会",
    "上海市养志康复医院（上海市阳光康复中心）",
    "上海市残疾人辅助器具资源中心",
    "上海市盲人协会",
    "上海市聋人协会",
]

REQUIRED = {
    "services": [
        "name",
        "category",
        "description",
        "materials",
        "steps",
        "where",
        "how",
        "keywords",
    ],
    "policies": ["title", "issuer", "date", "summary"],
    "institutions": ["name", "district", "address", "phone", "hours", "service_ids"],
}
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PREFIX = {"services": "svc-", "policies": "pol-", "institutions": "inst-", "rules": "rule-"}
KINDS = ["districts", "services", "policies", "institutions", "rules"]


@cache
def load(kind: str) -> list[dict]:
    data = json.loads((SEED_DIR / f"{kind}.json").read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{kind}.json must be a JSON array"
    assert all(isinstance(r, dict) for r in data), f"{kind}.json must hold objects"
    return data


def ids(kind: str) -> set[str]:
    return {r["id"] for r in load(kind)}


def _non_empty(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return bool(value) and all(_non_empty(v) for v in value)
    return value is not None


def test_districts_are_the_sixteen_shanghai_districts() -> None:
    districts = load("districts")
    assert len(districts) == 16
    codes = [d["code"] for d in districts]
    assert len(set(codes)) == 16
    assert {d["code"]: d["name"] for d in districts} == DISTRICT_NAMES
    for d in districts:
        assert d["id"] == d["code"]
        assert _non_empty(d["name_en"])
    assert sorted(d["order"] for d in districts) == list(range(1, 17))


@pytest.mark.parametrize(
    ("kind", "minimum"), [("services", 30), ("policies", 10), ("institutions", 20)]
)
def test_minimum_counts(kind: str, minimum: int) -> None:
    assert len(load(kind)) >= minimum


@pytest.mark.parametrize("kind", KINDS)
def test_ids_unique_and_ascii_slugs(kind: str) -> None:
    records = load(kind)
    all_ids = [r["id"] for r in records]
    assert len(all_ids) == len(set(all_ids)), f"duplicate ids in {kind}"
    for rid in all_ids:
        assert ID_RE.match(rid), f"bad id {rid!r} in {kind}"
        if kind in PREFIX:
            assert rid.startswith(PREFIX[kind]), rid


@pytest.mark.parametrize("kind", ["services", "policies", "institutions"])
def test_required_fields_present_and_non_empty(kind: str) -> None:
    for record in load(kind):
        for field in REQUIRED[kind]:
            assert field in record, f"{record['id']} lacks {field}"
            assert _non_empty(record[field]), f"{record['id']}.{field} is empty"


def test_service_values() -> None:
    for s in load("services"):
        assert s["category"] in SERVICE_CATEGORIES, s["id"]
        assert isinstance(s["popularity"], int)
        assert not isinstance(s["popularity"], bool)
        assert 0 <= s["popularity"] <= 100, s["id"]
        assert isinstance(s["common"], bool), s["id"]
        assert isinstance(s["institution_ids"], list), s["id"]
    assert 5 <= sum(s["common"] for s in load("services")) <= 12


def test_policy_dates_are_iso() -> None:
    for p in load("policies"):
        dt.date.fromisoformat(p["date"])
        assert p["doc_number"] is None or _non_empty(p["doc_number"]), p["id"]


def test_institution_values() -> None:
    for i in load("institutions"):
        assert i["kind"] in INSTITUTION_KINDS, i["id"]
        assert isinstance(i["accessibility"], list), i["id"]
    assert len({i["district"] for i in load("institutions")}) >= 12


def test_cross_references_resolve() -> None:
    service_ids, institution_ids, district_ids = (
        ids("services"),
        ids("institutions"),
        ids("districts"),
    )
    for s in load("services"):
        assert set(s["institution_ids"]) <= institution_ids, s["id"]
    for p in load("policies"):
        assert set(p["related_service_ids"]) <= service_ids, p["id"]
    for i in load("institutions"):
        assert set(i["service_ids"]) <= service_ids, i["id"]
        assert i["district"] in district_ids, i["id"]


@pytest.mark.parametrize(
    ("kind", "field", "names"),
    [
        ("services", "name", MUST_SERVICES),
        ("policies", "title", MUST_POLICIES),
        ("institutions", "name", MUST_INSTITUTIONS),
    ],
)
def test_must_include(kind: str, field: str, names: list[str]) -> None:
    present = {r[field] for r in load(kind)}
    missing = [n for n in names if n not in present]
    assert not missing, f"{kind} missing {missing}"


@pytest.mark.parametrize("kind", ["services", "policies", "institutions", "rules"])
def test_example_markers(kind: str) -> None:
    for record in load(kind):
        assert isinstance(record["example_data"], bool), record["id"]
        fields = record["example_fields"]
        assert isinstance(fields, list), record["id"]
        assert set(fields) <= set(record) - {"id", "example_data", "example_fields"}, record["id"]
        if fields:
            assert record["example_data"], f"{record['id']} lists example_fields"


# --- rules.json: eligibility rules, one per service ------------------------------------------

# The facts a rule may test and their values (services/matching/facts.py; repeated here so the
# data is checked on its own). None = an open domain checked below.
FACT_VALUES: dict[str, list[object] | None] = {
    "hukou": ["shanghai", "other"],
    "age": None,
    "certificate": [True, False],
    "category": ["vision", "hearing", "speech", "physical", "intellectual", "mental", "multiple"],
    "level": [1, 2, 3, 4],
    "low_income": ["dibao", "low_income", "none"],
    "employment": ["employed", "unemployed", "retired"],
    "student": [True, False],
    "district": None,
}
NUMERIC_FACTS = {"age", "level"}


def _valid_value(fact: str, value: object) -> bool:
    allowed = FACT_VALUES[fact]
    if allowed is not None:
        return any(type(value) is type(v) and value == v for v in allowed)
    if fact == "age":
        return type(value) is int and 0 <= value <= 150
    return isinstance(value, str) and value in DISTRICT_NAMES


def _check_condition(node: object, where: str) -> list[str]:
    """Every problem in a condition tree, as readable strings."""
    if not isinstance(node, dict):
        return [f"{where}: not an object"]
    shapes = [key for key in ("all", "any", "fact") if key in node]
    if len(shapes) != 1:
        return [f"{where}: needs exactly one of all / any / fact, has {sorted(node)}"]
    if shapes[0] in ("all", "any"):
        children = node[shapes[0]]
        if set(node) != {shapes[0]} or not isinstance(children, list):
            return [f"{where}: {shapes[0]} must be the only key and hold a list"]
        if shapes[0] == "any" and not children:
            return [f"{where}: an empty any can never hold"]
        return [p for i, c in enumerate(children) for p in _check_condition(c, f"{where}.{i}")]
    fact = node["fact"]
    if fact not in FACT_VALUES:
        return [f"{where}: unknown fact {fact!r}"]
    ops = set(node) - {"fact"}
    if ops == {"is"}:
        ok = _valid_value(fact, node["is"])
    elif ops == {"in"}:
        ok = bool(node["in"]) and all(_valid_value(fact, v) for v in node["in"])
    elif ops and ops <= {"min", "max"} and fact in NUMERIC_FACTS:
        ok = all(_valid_value(fact, node[op]) for op in ops) and node.get("min", 0) <= node.get(
            "max", 150
        )
    else:
        return [f"{where}: unknown operator {sorted(ops)} for {fact!r}"]
    return [] if ok else [f"{where}: bad value in {node}"]


def test_every_service_has_exactly_one_rule_and_every_rule_a_service() -> None:
    rules = load("rules")
    services = [s["id"] for s in load("services")]
    ruled = [r["service_id"] for r in rules]
    assert sorted(ruled) == sorted(services)
    for rule in rules:
        assert rule["id"] == "rule-" + rule["service_id"].removeprefix("svc-"), rule["id"]
        assert set(rule) == {"id", "service_id", "when", "example_data", "example_fields"}


def test_every_rule_condition_uses_known_facts_operators_and_values() -> None:
    problems = [p for r in load("rules") for p in _check_condition(r["when"], r["id"])]
    assert not problems, problems


def test_rules_are_marked_unverified() -> None:
    for rule in load("rules"):
        assert rule["example_data"] is True and rule["example_fields"] == ["when"], rule["id"]
