"""Guided trips for blind residents (助盲出行) and the volunteers who go with them.

``models`` (rows), ``wire`` (request and response shapes), ``states`` (the state machine),
``crud`` (trip queries and changes), ``actions`` (what people do: checks, changes, notices),
``volunteers`` (registration and verification), ``present`` (what each person may see of a
trip), ``expiry`` (unclaimed trips run out) and ``code_words`` (the spoken pair that lets two
strangers recognise each other).
"""
