"""Telling people what happened: an in-app inbox of notifications, some also sent by SMS.

``models`` (the row and its wire shapes), ``notifications`` (creating them, with the SMS texts)
and ``sms`` (the gateway, and delivery once the transaction that made them has committed).
"""
