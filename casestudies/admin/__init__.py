"""The staff site's pages for the case studies app, one module per area.

- `scoping`: what every page shares (versions held to the change page's scope);
- `casestudies`: case studies, the review queue, the status log;
- `organisations`: organisations, contacts, themes;
- `users`: member editors' memberships.

Every URL these add is checked for every role in tests/test_admin_scope.py.
"""

from . import casestudies, organisations, users

__all__ = ["casestudies", "organisations", "users"]
