"""Email the portal sends: one way to send it (`email.send_email`), always in the background.

This package sits with opendata and content in the layers (pyproject.toml): it may use
discovery and publishing (alerts use the list's filters, workflow notices the roles), and the
views, admin and management commands use it.
"""
