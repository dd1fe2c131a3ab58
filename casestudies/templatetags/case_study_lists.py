from functools import lru_cache
from html import escape

from django import template
from django.utils.safestring import mark_safe

from casestudies.discovery import cards, filterform

register = template.Library()


@register.simple_tag
def facet_options(options):
    """The <option>s of a facet select, with counts; empty ones disabled.

    Written with the standard library's escape rather than format_html: a list page has some
    500 options, and format_html's per-argument machinery took about 7 ms of each request.
    The same names come on every request, so their escaped forms are remembered.
    """
    return mark_safe(
        "\n".join(
            f'<option value="{_escaped(str(option.value))}"'
            f"{' selected' if option.selected else ''}"
            f"{' disabled' if option.is_empty else ''}>"
            f"{_escaped(str(option.label))} ({int(option.count)})</option>"
            for option in options
        )
    )


_escaped = lru_cache(maxsize=20_000)(escape)


@register.simple_tag
def case_study_cards(case_studies, terms=frozenset()):
    """The cards of these case studies, rendered or from the cache (casestudies/discovery/cards.py);
    the words stemming to one of `terms`, a search's, marked."""
    return cards.render_cards(case_studies, terms)


@register.simple_tag(takes_context=True)
def filter_form(context):
    """The filter form, drawn or from the cache (casestudies/discovery/filterform.py)."""
    return filterform.render(context)
