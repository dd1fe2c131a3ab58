"""Template tags for what a page tells search engines and social sites about itself."""

import json

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The escapes Django's json_script uses: inside <script>, "<", ">" and "&" could end the element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

DEFAULT_IMAGE = "img/social-preview.png"
NETWORK_NAME = "Co-operative Councils' Innovation Network"


def _absolute(request, path):
    """`path` on the request's host; as it is when the host is not one we serve (the 400 page
    answering a request with a forged Host header must not fail again on it)."""
    if request is None:
        return path
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        return path


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` (or a full URL) as an absolute URL on the host the page was requested from."""
    return _absolute(context.get("request"), path)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without its query string."""
    request = context.get("request")
    return _absolute(request, request.path) if request is not None else ""


@register.simple_tag(takes_context=True)
def default_image_url(context):
    """The site's default social preview image, as an absolute URL."""
    return _absolute(context.get("request"), static(DEFAULT_IMAGE))


def ld_json_script(data):
    """`data` as a JSON-LD <script> element, escaped as Django's json_script escapes."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )


def _organisation(request, organisation):
    data = {
        "@type": "GovernmentOrganization" if organisation.kind == "council" else "Organization",
        "name": organisation.name,
        "url": _absolute(request, organisation.get_absolute_url()),
    }
    if organisation.website:
        data["sameAs"] = organisation.website
    return data


def case_study_data(case_study, request=None):
    """A schema.org Article describing `case_study`, its organisations and its principles."""
    url = _absolute(request, case_study.get_absolute_url())
    publisher = {"@type": "Organization", "name": NETWORK_NAME, "url": _absolute(request, "/")}
    delivered_by = [_organisation(request, o) for o in case_study.delivered_by]
    councils = [_organisation(request, o) for o in case_study.councils]
    # A programme's members: its lead member and the councils taking part.
    members = [
        _organisation(request, o)
        for o in [*case_study.lead_members, *case_study.participating_members]
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": case_study.title,
        "description": case_study.summary,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": "en-GB",
        "datePublished": case_study.published_at,
        "dateModified": case_study.text_edited_at or case_study.published_at,
        "image": _absolute(request, static(DEFAULT_IMAGE)),
        "publisher": publisher,
        "author": delivered_by or publisher,
        "about": councils + delivered_by + members,
        "keywords": [p.title for p in case_study.principles.all()]
        + [t.name for t in case_study.themes.all()],
    }
    if case_study.year:
        data["temporalCoverage"] = str(case_study.year)
    if members:
        data["contributor"] = members
    return data


@register.simple_tag(takes_context=True)
def case_study_json_ld(context, case_study):
    """The <script type="application/ld+json"> element for a case study page."""
    return ld_json_script(case_study_data(case_study, context.get("request")))


_frames = {}  # (template, section, signed in, script prefix) -> HTML


@register.simple_tag(takes_context=True)
def site_frame(context, template_name):
    """The site's header or footer (`template_name`). It shows nothing about a page or a person
    but which section is current and whether someone is signed in, so it is drawn once per
    process for each of those (a few dozen at most) and kept (not under DEBUG, so that an
    edited template shows)."""
    match = getattr(context.get("request"), "resolver_match", None)
    user = context.get("user")
    frame = {
        "app_name": match.app_name if match else "",
        "url_name": match.url_name if match else "",
        "signed_in": bool(user and user.is_authenticated),
    }
    key = (template_name, *frame.values(), get_script_prefix())
    html = _frames.get(key)
    if html is None:
        html = render_to_string(template_name, frame)
        if not settings.DEBUG:
            _frames[key] = html
    return html
