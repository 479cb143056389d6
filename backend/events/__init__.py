"""Community events (阳光201): sign-up with capacity and a wait-list, check-in at the door, and
a fair attendance record.

``models`` (rows and their states), ``wire`` (request and response shapes), ``codes`` (the
event's door code, each attendee's personal code and its QR payload), ``crud`` (queries and
changes), ``publish`` (the public projection, re-published into the catalogue on every change of
counts), ``signups`` (sign up, cancel with promotion, excuses), ``checkin`` (check-in windows,
by code or by name, undo), ``appeals`` (the person's appeal of a no-show and staff's decision),
``marking`` (after an event: attended, excused or no-show), ``escort`` (a failed 助盲出行 escort
excuses the absence), ``present`` (what a person or staff sees) and ``seed`` (demo events).
"""
