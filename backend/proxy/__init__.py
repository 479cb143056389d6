"""Acting on behalf (代办): a relative or clerk acts for a resident with the resident's consent.

``models`` (consent codes, consents, the record of what was done, wrong-code counters), ``wire``
(request and response shapes), ``codes`` (the 6-digit consent code and its hash), ``errors``
(the problems answered), ``crud`` (making and redeeming codes, ending consents), ``present``
(a consent as the resident or the helper sees it) and ``acting`` (the ``X-Act-For`` header:
which routes a helper may use for the resident, and the record of each accepted change).
"""
