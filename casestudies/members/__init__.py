"""Members: who may sign up, allauth's adapter, invitations, and "Ask about this work".

A layer of its own in pyproject.toml, between notifications (which it uses to send email) and
the views and admin (which use it).
"""
