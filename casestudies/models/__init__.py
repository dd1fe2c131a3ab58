"""The domain: case studies, the organisations and people behind them, and their themes.

The lowest layer of the app: it imports nothing else of it. Every model is re-exported here, so
`from casestudies.models import CaseStudy` works wherever the model lives.

- `casestudies`: case studies, their themes, their organisations' roles, their status changes
  and the versions simple-history keeps;
- `organisations`: organisations and contacts;
- `editors`: member editors' memberships and invitations, and who is a publisher;
- `statements`: principle statements imports could not match, until staff decide;
- `lexicon`: the words of the case studies, for typo-tolerant search;
- `versions`: the content version, replaced in the same transaction as every change;
- `richtext`: the allow-list that every stored body passes through;
- `alerts`: saved lists whose new case studies are emailed (email alerts);
- `members`: what members keep (saved case studies), invitations to sign up, and the log of
  members' messages to contacts;
- `personaldata`: the record of personal data exported and erased, without the data;
- `base`: what every model shares.
"""

from .alerts import Alert
from .base import TimeStampedModel
from .casestudies import (
    CASE_STUDY_HISTORY,
    CaseStudy,
    CaseStudyAwaitingReview,
    CaseStudyOrganisation,
    CaseStudyQuerySet,
    CaseStudyVersionLinks,
    StatusChange,
    Theme,
    ThemedCaseStudy,
    ThemeQuerySet,
)
from .editors import EditorInvitation, EditorMembership
from .lexicon import SearchWord
from .members import ContactMessage, MemberInvitation, SavedCaseStudy
from .organisations import Contact, Organisation, Visibility
from .personaldata import MemberAccount, PersonalDataRequest
from .statements import UnrecognisedStatement
from .versions import ContentVersion

__all__ = [
    "CASE_STUDY_HISTORY",
    "Alert",
    "CaseStudy",
    "CaseStudyAwaitingReview",
    "CaseStudyOrganisation",
    "CaseStudyQuerySet",
    "CaseStudyVersionLinks",
    "Contact",
    "ContactMessage",
    "ContentVersion",
    "EditorInvitation",
    "EditorMembership",
    "MemberAccount",
    "MemberInvitation",
    "Organisation",
    "PersonalDataRequest",
    "SavedCaseStudy",
    "SearchWord",
    "StatusChange",
    "Theme",
    "ThemeQuerySet",
    "ThemedCaseStudy",
    "TimeStampedModel",
    "UnrecognisedStatement",
    "Visibility",
]
