"""The public pages: lists and their filters, case studies, organisations and principles.

Views are thin: what to show comes from the models' querysets and the discovery package; how
it is kept, from the caching package.
"""

from .packs import CaseStudyPackView
from .pages import (
    CaseStudyDetailView,
    CaseStudyExportView,
    CaseStudyListView,
    CaseStudyPreviewView,
    FilteredCaseStudiesMixin,
    HomeView,
    LegacyCaseStudyRedirectView,
    OrganisationDetailView,
    OrganisationListView,
)
from .principles import PrincipleCoverageView, PrincipleDetailView, PrincipleListView

__all__ = [
    "CaseStudyDetailView",
    "CaseStudyExportView",
    "CaseStudyListView",
    "CaseStudyPackView",
    "CaseStudyPreviewView",
    "FilteredCaseStudiesMixin",
    "HomeView",
    "LegacyCaseStudyRedirectView",
    "OrganisationDetailView",
    "OrganisationListView",
    "PrincipleCoverageView",
    "PrincipleDetailView",
    "PrincipleListView",
]
