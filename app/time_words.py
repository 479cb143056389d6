"""Times said the way a person says them: today / tomorrow / a weekday, and the clock time.

Always Shanghai time, whatever zone the device is set to: trips and events happen there.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton

from app.i18n import N_, _, current_language
from services.clock import SHANGHAI


def day_name(day: date, today: date) -> str:
    """Today / Tomorrow / The day after tomorrow, else the weekday and date."""
    offset = (day - today).days
    dated = format_skeleton("MMMEd", day, locale=current_language())
    relative = {0: N_("Today"), 1: N_("Tomorrow"), 2: N_("The day after tomorrow")}.get(offset)
    if relative is None:
        return dated
    return _("{day} ({date})").format(day=_(relative), date=dated)


def clock_words(moment: datetime) -> str:
    """2:30 PM / 下午2:30, in Shanghai time whatever the device's zone.

    Chinese names the part of the day as people say it (凌晨3:00, 早上7:00, 中午12:00,
    晚上8:00): CLDR's flexible day periods (skeleton ``B``). "下午12:00" for noon reads wrong.
    """
    local = moment.astimezone(SHANGHAI)
    language = current_language()
    return format_skeleton("Bhm" if language.startswith("zh") else "hm", local, locale=language)


def when_words(start_at: datetime | str, now: datetime) -> str:
    """Tomorrow (Mon, Nov 23) 2:30 PM / 明天（11月23日周一）下午2:30."""
    moment = parse_time(start_at)
    local_day = moment.astimezone(SHANGHAI).date()
    today = now.astimezone(SHANGHAI).date()
    return _("{day} {time}").format(day=day_name(local_day, today), time=clock_words(moment))


def parse_time(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
