"""The staff site's pages for the case studies app, one module per area.

- `scoping`: what every page shares (versions held to the change page's scope);
- `casestudies`: case studies, the review queue, the status log;
- `organisations`: organisations, contacts, themes;
- `users`: member editors' memberships;
- `statements`: principle statements imports could not match, and the publishers' decisions;
- `imports`: importing write-ups (upload or paste, preview, confirm);
- `members`: invitations to sign up, and the log of members' messages to contacts;
- `personaldata`: exporting and erasing a person's data, members' accounts, the log of both.

Every URL these add is checked for every role in tests/test_admin_scope.py.
"""

from . import casestudies, imports, members, organisations, personaldata, statements, users

__all__ = [
    "casestudies",
    "imports",
    "members",
    "organisations",
    "personaldata",
    "statements",
    "users",
]
