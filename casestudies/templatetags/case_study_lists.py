from django import template

from casestudies.discovery import cards, filterform

register = template.Library()


@register.simple_tag
def case_study_cards(case_studies, terms=frozenset()):
    """The cards of these case studies, rendered or from the cache (casestudies/discovery/cards.py);
    the words stemming to one of `terms`, a search's, marked."""
    return cards.render_cards(case_studies, terms)


@register.simple_tag(takes_context=True)
def filter_form(context):
    """The filter form, drawn or from the cache (casestudies/discovery/filterform.py)."""
    return filterform.render(context)
