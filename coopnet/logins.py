"""Which "username" django-axes counts failed sign-ins against.

Staff sign in to the admin with a username; members sign in to the site with their email
address (django-allauth posts it as "login" and authenticates with `email=`). Without this,
axes would see no username for a member's attempt, and lock out everyone signing in from the
same address after AXES_FAILURE_LIMIT failures by anyone.
"""


def axes_username(request, credentials):
    credentials = credentials or {}
    data = getattr(request, "POST", None) or {}
    username = credentials.get("username") or data.get("username")
    if username:
        return username
    email = credentials.get("email") or data.get("login")
    return str(email).strip().lower() if email else None
