"""Principle statements that imports could not match: the publishers' list, and their two
decisions (make the statement a principle, or dismiss it).

The list groups the statements by wording across every import, most cited first. Making one a
principle creates the principle with the statement verbatim and links every case study citing
it, each change kept as a version in its history; dismissing it records who decided that the
case studies citing it do not claim it. Until one or the other, those case studies cannot be
published (`publishing.workflow.missing_for_publication`). Member editors see their own case
studies' statements on the case study's page (`describe`, a read-only field there).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import ngettext

from principles.models import Principle

from ..models import CaseStudy, UnrecognisedStatement
from ..publishing import history
from .scoping import PublishersReadOnly


def describe(case_study):
    """A case study's unrecognised statements and what was decided, for its change page."""
    items = format_html_join(
        "",
        '<li>{}<br><span class="help">{}</span></li>',
        (
            (statement.label, _decision(statement))
            for statement in case_study.unrecognised_statements.select_related("dismissed_by")
        ),
    )
    return format_html('<ul class="unrecognised-statements">{}</ul>', items)


def _decision(statement):
    if statement.dismissed_at:
        return f"Dismissed by {statement.dismissed_by or 'a publisher'}: not claimed on the page"
    return "Waiting for a publisher: the case study cannot be published until decided"


class PrincipleFromStatementForm(forms.ModelForm):
    class Meta:
        model = Principle
        fields = ["title", "slug", "colour", "icon"]
        help_texts = {"slug": "Part of the principle's address: /principles/<slug>/."}


@admin.register(UnrecognisedStatement)
class UnrecognisedStatementAdmin(PublishersReadOnly, admin.ModelAdmin):
    """Publishers only: the statements span every organisation's drafts. They are decided
    through the two pages below, never edited."""

    list_display = ["__str__", "case_study", "dismissed_at"]
    change_list_template = "admin/casestudies/unrecognisedstatement/grouped_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("<path:object_id>/adopt/", wrap(self.adopt_view), name=f"{name}_adopt"),
            path("<path:object_id>/dismiss/", wrap(self.dismiss_view), name=f"{name}_dismiss"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        groups = list(UnrecognisedStatement.objects.grouped())
        citing = {}
        for statement in (
            UnrecognisedStatement.objects.undecided()
            .filter(key__in=[group["key"] for group in groups])
            .select_related("case_study")
            .order_by("case_study__title")
        ):
            citing.setdefault(statement.key, []).append(statement)
        for group in groups:
            group["statements"] = citing.get(group["key"], [])
            group["first"] = group["statements"][0] if group["statements"] else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Principle statements the imports could not match",
            "groups": groups,
            **(extra_context or {}),
        }
        return render(request, self.change_list_template, context)

    def _group(self, request, object_id):
        """The statement named in the URL, for a publisher; 404 for one that is not there."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            statement = UnrecognisedStatement.objects.select_related("case_study").get(
                pk=int(object_id)
            )
        except (ValueError, UnrecognisedStatement.DoesNotExist):
            raise Http404("No such statement: it may have been decided already.") from None
        return statement, UnrecognisedStatement.objects.filter(key=statement.key)

    def adopt_view(self, request, object_id):
        """Make a statement a principle, and link every case study that cites it."""
        statement, same = self._group(request, object_id)
        if not request.user.has_perm("principles.add_principle"):
            raise PermissionDenied
        initial_title = (statement.title or "").strip("\"'\u201c\u201d ")
        form = PrincipleFromStatementForm(
            request.POST or None,
            initial={"title": initial_title, "slug": slugify(initial_title)},
        )
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                principle = form.save(commit=False)
                principle.statement = statement.text
                last = Principle.objects.order_by("-position").first()
                principle.position = (last.position + 1) if last else 0
                principle.save()
                linked = self._link(request, principle, same)
            self.log_addition(request, principle, f"Made from an imported statement ({linked})")
            self.message_user(
                request,
                ngettext(
                    "Made the principle \u201c%(title)s\u201d and linked the %(n)d case study "
                    "citing it.",
                    "Made the principle \u201c%(title)s\u201d and linked the %(n)d case studies "
                    "citing it.",
                    linked,
                )
                % {"title": principle.title, "n": linked},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:casestudies_unrecognisedstatement_changelist")
            )
        return render(
            request,
            "admin/casestudies/unrecognisedstatement/adopt.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Make this statement a principle",
                "statement": statement,
                "case_studies": self._citing(same),
                "form": form,
            },
        )

    def _link(self, request, principle, statements):
        """Link each case study citing the statement to `principle`, one version each."""
        case_studies = CaseStudy.objects.filter(
            pk__in=statements.values("case_study")
        ).select_for_update()
        linked = 0
        for case_study in case_studies:
            history.hold_history(case_study)
            case_study.principles.add(principle)
            case_study._change_reason = f"Linked to the new principle {principle.title}"[:100]
            history.finish_version(case_study, "~", user=request.user)
            linked += 1
        statements.delete()
        return linked

    def dismiss_view(self, request, object_id):
        """Decide that the case studies citing a statement do not claim it."""
        statement, same = self._group(request, object_id)
        undecided = same.filter(dismissed_at__isnull=True)
        if request.method == "POST":
            count = undecided.update(dismissed_at=timezone.now(), dismissed_by=request.user)
            self.message_user(
                request,
                ngettext(
                    "Dismissed the statement for %d case study: its page will not claim it.",
                    "Dismissed the statement for %d case studies: their pages will not claim it.",
                    count,
                )
                % count,
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:casestudies_unrecognisedstatement_changelist")
            )
        return render(
            request,
            "admin/casestudies/unrecognisedstatement/dismiss.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Dismiss this statement",
                "statement": statement,
                "case_studies": self._citing(undecided),
            },
        )

    @staticmethod
    def _citing(statements):
        return list(
            CaseStudy.objects.filter(pk__in=statements.values("case_study")).order_by("title")
        )
