"""Icons and principle badges, written in Python: a list page shows some 80 of them, and as
template includes they were a fifth of its rendering time."""

from functools import cache
from html import escape

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.safestring import mark_safe

register = template.Library()


@cache
def sprite_url():
    """The address of the icon sprite (static files do not move while the server runs)."""
    return static("img/icons.svg")


@receiver(setting_changed)
def _forget_sprite_url(setting, **kwargs):
    if setting in ("STATIC_URL", "STORAGES"):
        sprite_url.cache_clear()


def icon_html(name, css_class=""):
    """An icon from the sprite: decorative, so hidden from assistive technology; the text
    beside it says what it means."""
    classes = escape(f"icon {css_class}".strip())
    href = escape(f"{sprite_url()}#icon-{name}")
    return (
        f'<svg class="{classes}" aria-hidden="true" focusable="false">'
        f'<use href="{href}"></use></svg>'
    )


@register.simple_tag
def icon(name, css_class=""):
    return mark_safe(icon_html(name, css_class))


@register.simple_tag
def principle_badge(principle):
    """A principle's identity: its colour and icon, always with its title."""
    return mark_safe(
        f'<span class="principle-badge principle--{escape(principle.colour)}">'
        f"{icon_html(principle.icon)}<span>{escape(principle.title)}</span></span>"
    )


@register.simple_tag
def principle_icon(principle):
    """A principle's icon in its colour, where space is short (a card's compact row): its title
    is there for assistive technology and shown on hover."""
    title = escape(principle.title)
    return mark_safe(
        f'<span class="principle-icon principle--{escape(principle.colour)}" title="{title}">'
        f'{icon_html(principle.icon)}<span class="sr-only">{title}</span></span>'
    )
