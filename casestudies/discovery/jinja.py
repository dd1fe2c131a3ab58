"""The Jinja2 environment of the list's hot fragments: the case study card and the filter form.

A list page draws up to 20 cards and a filter form of some 480 options that nobody has drawn
before whenever a visitor asks for a new combination of filters (issue 17). Django's template
language resolved each variable by trying a dictionary, an attribute and an index in turn, and
those two fragments were most of a cold list page's rendering; Jinja2 compiles a template to
Python, and draws them in about a third of the time. Every other template stays Django's. Output
is escaped as in Django's templates (autoescape); the helpers below return what Django's template
tags of the same names return.
"""

from functools import lru_cache
from html import escape

from django.template.defaultfilters import pluralize
from jinja2 import Environment
from markupsafe import Markup

from principles.templatetags.principle_icons import (
    icon_html,
    principle_badge,
    principle_icon,
    sprite_url,
)


def icon(name, css_class=""):
    return _icon(sprite_url(), name, css_class)


@lru_cache(maxsize=256)
def _icon(sprite, name, css_class):
    """An icon, drawn once per name and class (and the sprite's address, which it holds)."""
    return Markup(icon_html(name, css_class))


def facet_options(options):
    """The <option>s of a facet select, with counts; empty ones disabled. Organisations' and
    themes', some 480 on a list page, come drawn in one pass (filters.NamedOptions.html);
    kinds' and years' (a few dozen) are drawn here from their Options, the same way."""
    if hasattr(options, "html"):
        return Markup(options.html())
    return Markup(
        "\n".join(
            f'<option value="{escape(str(option.value))}"'
            f"{' selected' if option.selected else ''}"
            f"{' disabled' if option.is_empty else ''}>"
            f"{escape(str(option.label))} ({int(option.count)})</option>"
            for option in options
        )
    )


def environment(**options):
    env = Environment(**options)
    env.globals.update(
        icon=icon,
        facet_options=facet_options,
        principle_badge=principle_badge,  # Django's SafeString: Jinja2 keeps it as it is
        principle_icon=principle_icon,
    )
    env.filters["pluralize"] = pluralize  # Django's own
    return env
