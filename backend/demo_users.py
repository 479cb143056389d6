"""Demo accounts seeded with the catalogue on first start (all rows marked ``example_data``).

Service ids are real ids from ``assets/seed/services.json``. Sign in as them in dev mode with
``SUNSHINE_DEV_LOGIN_CODE`` or the code the server logs.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.crud import get_user_by_phone, lock_feed
from backend.models import Benefit, InboxItem, Role, ServiceRecord, User, Visit
from backend.seed import begin_write
from backend.trips.models import Volunteer, VolunteerStatus, skills_mask

RESIDENT_PHONE = "13800000001"
VOLUNTEER_PHONE = "13800000002"
STAFF_PHONE = "13800000009"
VOLUNTEER_ID_NUMBER = "310104199001011233"  # passes the GB 11643 check
# What databases seeded before the check existed hold for him (a wrong check digit).
_OLD_VOLUNTEER_ID_NUMBER = "310104199001011234"

RESIDENT_FACTS: dict[str, Any] = {  # 张阿姨's matching facts; tests match on them too
    "hukou": "shanghai",
    "certificate": True,
    "category": "physical",
    "level": 2,
    "employment": "retired",
    "student": False,
    "district": "310101",
}
RESIDENT_BIRTH_DATE = "1955-03-12"  # what the server derives from her ID number

_T0 = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


def _at(days: int) -> datetime:
    return _T0 + timedelta(days=days)


DEMO_USERS: list[dict[str, Any]] = [
    {
        "user": {
            "phone": RESIDENT_PHONE,
            "name": "张阿姨",
            "roles": [Role.RESIDENT.value],
            "id_number": "310101195503120028",
            "address": "上海市黄浦区示例路 100 弄 1 号 101 室",
            "emergency_contact": "张先生（儿子） 13900000003",
            # Low income left unknown on purpose: 困难残疾人生活补贴 then shows as "maybe",
            # matching the inbox item below. Her birth date comes from the ID number.
            "facts": dict(RESIDENT_FACTS),
        },
        "service_records": [
            {
                "service_id": "svc-disability-card-renew",
                "service_name": "残疾人证换领",
                "status": "completed",
                "submitted_at": _at(0),
                "updated_at": _at(12),
                "note": "新证已可在街道社区事务受理服务中心领取。",
            },
            {
                "service_id": "svc-severe-care-subsidy",
                "service_name": "重度残疾人护理补贴",
                "status": "in_review",
                "submitted_at": _at(20),
                "updated_at": _at(22),
                "note": None,
            },
        ],
        "visits": [
            {
                "kind": "home_visit",
                "visitor_name": "王社工",
                "visited_at": _at(5),
                "summary": "上门了解居家情况，家中通道需加装扶手。",
                "follow_up_at": _at(35),
            },
            {
                "kind": "phone_call",
                "visitor_name": "李志愿",
                "visited_at": _at(25),
                "summary": "电话回访，确认出行陪同需求。",
                "follow_up_at": None,
            },
        ],
        "benefits": [
            {
                "service_id": "svc-transport-subsidy",
                "title": "残疾人交通补贴",
                "status": "active",
                "amount_yuan_per_month": None,
                "granted_at": _at(-60),
                "description": "按规定自动发放，无需申请（示例数据，金额以实际为准）。",
            }
        ],
        "inbox": [
            {
                "service_id": "svc-hardship-living-subsidy",
                "title": "您可能符合困难残疾人生活补贴条件",
                "body": "根据您的情况，您可能可以申请困难残疾人生活补贴。需要帮您办理吗？",
                "created_at": _at(30),
            },
            {
                "service_id": "svc-wheelchair-fuel-subsidy",
                "title": "残疾人机动轮椅车燃油补贴",
                "body": "如您使用机动轮椅车，可申请燃油补贴。",
                "created_at": _at(31),
            },
        ],
    },
    {
        "user": {
            "phone": VOLUNTEER_PHONE,
            "name": "李志愿",
            "roles": [Role.RESIDENT.value, Role.VOLUNTEER.value],
            "id_number": VOLUNTEER_ID_NUMBER,
            "address": "上海市徐汇区示例路 8 号",
            "emergency_contact": None,
            "facts": {"hukou": "shanghai", "certificate": False},
        },
        "service_records": [],
        "visits": [],
        "benefits": [],
        "inbox": [
            {
                "service_id": None,
                "title": "志愿者培训通知",
                "body": "本月视障陪同出行培训开放报名。",
                "created_at": _at(28),
            }
        ],
        "volunteer": {
            "real_name": "李志愿",
            "id_number": VOLUNTEER_ID_NUMBER,
            "phone": VOLUNTEER_PHONE,
            "skills": ["sighted_guide", "wheelchair"],
            "districts": ["310101", "310104", "310105"],
            "availability": ["weekend", "weekday_evening"],
            "status": VolunteerStatus.VERIFIED.value,
            "created_at": _at(-90),
            "verified_at": _at(-88),
        },
    },
    {
        "user": {
            "phone": STAFF_PHONE,
            "name": "王社工",
            "roles": [Role.RESIDENT.value, Role.STAFF.value],
            # 黄浦 and 徐汇, where the demo doors are; the 杨浦 event is someone else's.
            "staff_districts": ["310101", "310104"],
            "id_number": None,
            "address": None,
            "emergency_contact": None,
            "facts": {},
        },
        "service_records": [],
        "visits": [],
        "benefits": [],
        "inbox": [],
    },
]


def seed_demo_users(session: Session) -> int:
    """Create the demo users and their records unless their phones exist; returns users added.

    Safe to run on every start: a demo user seeded by an earlier version gets what was added
    since (李志愿's volunteer registration, 王社工's districts), and nothing else about existing
    users changes.
    """
    begin_write(session)  # concurrent start-ups queue here instead of failing
    lock_feed(session)  # PostgreSQL: a second process waits on this row lock, then sees ours
    added = 0
    for demo in DEMO_USERS:
        fields = demo["user"]
        user = get_user_by_phone(session, fields["phone"])
        if user is None:
            user = User(**fields, version=1, example_data=True)
            session.add(user)
            session.flush()
            for model, key in (
                (ServiceRecord, "service_records"),
                (Visit, "visits"),
                (Benefit, "benefits"),
                (InboxItem, "inbox"),
            ):
                for row in demo[key]:
                    session.add(model(**row, user_id=user.id, example_data=True))
            added += 1
        if "volunteer" in demo:
            _ensure_volunteer(session, user, demo["volunteer"])
        if fields.get("staff_districts") and user.example_data and user.staff_districts is None:
            user.staff_districts = fields["staff_districts"]
    try:
        session.commit()
    except IntegrityError:  # another process seeded them first
        session.rollback()
        return 0
    return added


def _ensure_volunteer(session: Session, user: User, fields: dict[str, Any]) -> None:
    """The demo volunteer's registration, unless he has one (his own, if he re-registered)."""
    if session.get(Volunteer, user.id) is not None:
        return
    if user.example_data and user.id_number == _OLD_VOLUNTEER_ID_NUMBER:
        user.id_number = fields["id_number"]  # the demo number fixed to pass the check
    session.add(
        Volunteer(
            **fields, user_id=user.id, skills_mask=skills_mask(fields["skills"]), example_data=True
        )
    )
    session.flush()
