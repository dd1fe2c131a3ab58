"""The staff pages for case studies: the form, the workflow's actions, the review queue and the
status log.

Two roles use them (see `casestudies/publishing/roles.py`): publishers see and publish
everything; member editors see and draft only their own organisation's case studies. The scoping
is enforced in the querysets, the permission methods, the form (status and contact choices),
`save_model` and the actions, so that crafted URLs and POSTs meet the same rules as the buttons.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets as admin_widgets
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import ngettext
from django_prose_editor.fields import ProseEditorFormField
from js_asset.media import Media as NoncedMedia

from ..models import (
    CaseStudy,
    CaseStudyAwaitingReview,
    CaseStudyOrganisation,
    Contact,
    Organisation,
    StatusChange,
    Theme,
)
from ..models.richtext import sanitise_html
from ..publishing import history
from ..publishing import workflow as flow
from ..publishing.images import forget_kept, keep_upload, kept_upload, validate_lead_image
from ..publishing.roles import allowed_statuses, can_edit, editor_organisation, is_publisher
from . import imports, statements
from .scoping import ScopedHistoryAdmin

#: What the body editor offers; the server-side allow-list (models/richtext.py) is the authority.
BODY_EDITOR_CONFIG = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Subscript": True,
        "Superscript": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
        "Table": True,
        "TableRow": True,
        "TableHeader": True,
        "TableCell": True,
        "History": True,
    }
}


class CaseStudyPermissionsMixin:
    """Inlines follow the case study: nothing to change when the case study is not editable."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit(request.user, obj)
        )


class OrganisationRoleInline(CaseStudyPermissionsMixin, admin.TabularInline):
    model = CaseStudyOrganisation
    extra = 1
    autocomplete_fields = ["organisation"]
    verbose_name_plural = "Organisations in their roles"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A tabular inline shows column headers, not labels: name each control for assistive
        # technology (static/js/admin-names.js passes the name on to the autocomplete's box).
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in ("organisation", "role"):
            field.widget.attrs["aria-label"] = str(db_field.verbose_name).capitalize()
        return field


class StatusChangeInline(admin.TabularInline):
    """The workflow so far, newest first: read only."""

    model = StatusChange
    extra = 0
    can_delete = False
    fields = [
        *("changed_at", "from_status", "to_status", "changed_by", "publication_date", "comment")
    ]
    readonly_fields = fields
    verbose_name = "status change"
    verbose_name_plural = "Status history"

    def has_view_permission(self, request, obj=None):
        # Anyone who may see the case study (the case study admin decides) sees its status log.
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseStudyAdminForm(forms.ModelForm):
    body = ProseEditorFormField(
        config=BODY_EDITOR_CONFIG,
        widget=admin_widgets.AdminTextareaWidget,
        sanitize=sanitise_html,
        required=False,
        help_text="Rich text. Unsafe HTML is removed when saved and again when shown.",
    )

    workflow_comment = forms.CharField(
        label="Comment for the editor",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to send it back to draft: what to change. The editor sees it.",
    )

    kept_lead_image = forms.CharField(widget=forms.HiddenInput, required=False)

    #: The workflow step this POST takes (set per request by CaseStudyAdmin.get_form).
    workflow_step = None

    class Meta:
        model = CaseStudy
        fields = [
            *("title", "slug", "summary", "body", "lead_image", "lead_image_alt"),
            *("kind", "year", "programme_status", "principles", "themes", "contacts"),
            *("pull_quote", "pull_quote_attribution", "published_at"),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.version
        if version is not None and not self.is_bound:
            # The form would show today's links: show (and so restore) the version's own.
            self.initial["principles"] = [row.principle_id for row in version.principles.all()]
            self.initial["contacts"] = [row.contact_id for row in version.contacts.all()]
            if version.theme_names is not None:
                self.initial["themes"] = [Theme(name=name) for name in version.theme_names]
        published_at = self.fields.get("published_at")
        if published_at is not None and hasattr(published_at.widget, "widgets"):
            # The admin's split date and time boxes have no labels of their own.
            date, time = published_at.widget.widgets
            date.attrs["aria-label"] = "Publication date"
            time.attrs["aria-label"] = "Publication time"
        if self.is_bound:
            self._use_kept_image()

    def _use_kept_image(self):
        """No new file chosen, but one kept from a failed save: use that one."""
        prefix = self.add_prefix
        token = self.data.get(prefix("kept_lead_image"))
        if (
            not token
            or self.files.get(prefix("lead_image"))
            or self.data.get(prefix("lead_image") + "-clear")
        ):
            return
        upload = kept_upload(token)
        if upload is not None:
            self.files = self.files.copy()
            self.files[prefix("lead_image")] = upload
            self._say_kept(upload.name)

    def _say_kept(self, name):
        # Admin help texts are shown as HTML: the file's name is escaped.
        self.fields["lead_image"].help_text = self["lead_image"].help_text = format_html(
            "<strong>Kept from your last try: {}.</strong> It is saved with the case study "
            "when you save; choose another file to replace it.",
            name,
        )

    def full_clean(self):
        super().full_clean()
        image = getattr(self, "cleaned_data", {}).get("lead_image")
        if self.is_bound and self._errors and isinstance(image, UploadedFile):
            # The save fails for another reason: keep the (valid) image for the next try.
            token = (
                self.data.get(self.add_prefix("kept_lead_image"))
                if getattr(image, "kept_as", None)
                else keep_upload(image)
            )
            self.data = self.data.copy()
            self.data[self.add_prefix("kept_lead_image")] = token
            self._say_kept(image.name)

    def clean(self):
        cleaned = super().clean()
        step = self.workflow_step
        if step is flow.SCHEDULE:
            when = cleaned.get("published_at")
            if when is None or when <= timezone.now():
                self.add_error(
                    "published_at", "To schedule, give a publication date and time in the future."
                )
        if (
            "lead_image" in self.errors
            and self.files.get(self.add_prefix("lead_image"))
            and not (cleaned.get("lead_image_alt") or "").strip()
        ):
            # The model asks for alt text only once the image is accepted: ask now, so that
            # both are put right in one go.
            self.add_error("lead_image_alt", "Describe the image for people who cannot see it.")
        if step is not None and step.needs_comment and not cleaned.get("workflow_comment"):
            self.add_error(
                "workflow_comment", "Say what the editor should change: they will see this."
            )
        return cleaned

    @property
    def version(self):
        """The kept version being reverted to, if this form reverts (simple-history)."""
        return getattr(self.instance, "_history", None)

    def _save_m2m(self):
        super()._save_m2m()
        if self.version is not None:
            # simple-history's revert view saves no inlines: restore the version's organisation
            # roles here, then record the one version of this change (held by save_model).
            history.restore_links(self.instance, self.version)
            history.finish_version(self.instance)

    def clean_lead_image(self):
        image = self.cleaned_data.get("lead_image")
        if isinstance(image, UploadedFile):
            validate_lead_image(image)
        return image


class WorkflowFilter(admin.SimpleListFilter):
    """Where a case study stands, with scheduled and live told apart."""

    title = "workflow"
    parameter_name = "workflow"

    def lookups(self, request, model_admin):
        return [
            ("review", "Waiting for review"),
            ("draft", "Drafts"),
            ("scheduled", "Scheduled"),
            ("live", "Live"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = CaseStudy.Status.PUBLISHED
        match self.value():
            case "review":
                return queryset.filter(status=CaseStudy.Status.IN_REVIEW)
            case "draft":
                return queryset.filter(status=CaseStudy.Status.DRAFT)
            case "scheduled":
                return queryset.filter(status=published, published_at__gt=now)
            case "live":
                return queryset.filter(status=published, published_at__lte=now)
        return queryset


def workflow_label(case_study):
    if case_study.is_scheduled:
        return f"Scheduled for {timezone.localtime(case_study.published_at):%d %b %Y %H:%M}"
    return case_study.get_status_display()


class WorkflowActionsMixin:
    """Bulk actions that respect the roles and record every status change."""

    def has_publish_permission(self, request):
        return is_publisher(request.user)

    def _move(self, request, queryset, to_status, eligible, message):
        if to_status == CaseStudy.Status.PUBLISHED and not is_publisher(request.user):
            raise PermissionDenied
        moved = skipped = incomplete = 0
        for case_study in queryset:
            if not eligible(case_study) or not can_edit(request.user, case_study):
                skipped += 1
                continue
            if to_status == CaseStudy.Status.PUBLISHED and flow.missing_for_publication(case_study):
                incomplete += 1
                continue
            case_study.status = to_status
            if to_status == CaseStudy.Status.PUBLISHED and case_study.published_at is None:
                case_study.published_at = timezone.now()
            case_study.updated_by = request.user
            case_study._history_user = request.user
            case_study.save()
            moved += 1
        self.message_user(request, message(moved), messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d case study was left as it was: it was already there, you may not "
                    "change it, or it is not ready (see its page).",
                    "%d case studies were left as they were: they were already there, you "
                    "may not change them, or they are not ready (see their pages).",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )
        if incomplete:
            self.message_user(
                request,
                ngettext(
                    "%d case study was not published: it lacks what a public page needs. "
                    "Open it to see what is missing.",
                    "%d case studies were not published: they lack what a public page needs. "
                    "Open each to see what is missing.",
                    incomplete,
                )
                % incomplete,
                messages.WARNING,
            )

    @admin.action(description="Publish selected case studies", permissions=["publish"])
    def publish(self, request, queryset):
        self._move(
            request,
            queryset,
            CaseStudy.Status.PUBLISHED,
            lambda cs: cs.status != CaseStudy.Status.PUBLISHED,
            lambda n: ngettext("Published %d case study.", "Published %d case studies.", n) % n,
        )

    @admin.action(
        description="Unpublish selected case studies (back to draft)", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._move(
            request,
            queryset,
            CaseStudy.Status.DRAFT,
            lambda cs: cs.status != CaseStudy.Status.DRAFT,
            lambda n: ngettext("Unpublished %d case study.", "Unpublished %d case studies.", n) % n,
        )

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move(
            request,
            queryset,
            CaseStudy.Status.IN_REVIEW,
            lambda cs: cs.status == CaseStudy.Status.DRAFT,
            lambda n: (
                ngettext(
                    "Submitted %d case study for review.",
                    "Submitted %d case studies for review.",
                    n,
                )
                % n
            ),
        )


@admin.register(CaseStudy)
class CaseStudyAdmin(WorkflowActionsMixin, ScopedHistoryAdmin):
    form = CaseStudyAdminForm
    list_display = ["title", "workflow", "published_at", "organisation_names", "updated_at"]
    list_filter = [
        WorkflowFilter,
        "kind",
        "principles",
        # Only what the user's own case studies use: no names from others' drafts.
        ("organisations", admin.RelatedOnlyFieldListFilter),
        ("themes", admin.RelatedOnlyFieldListFilter),
        "year",
    ]
    search_fields = ["title", "summary", "body", "organisations__name", "contacts__name"]
    prepopulated_fields = {"slug": ["title"]}
    # Principles are a short list in the network's order: tick boxes, one press each, all in
    # view (an autocomplete took three actions per principle). Contacts are many: autocomplete.
    autocomplete_fields = ["contacts"]
    date_hierarchy = "published_at"
    inlines = [OrganisationRoleInline, StatusChangeInline]
    actions = ["submit_for_review", "publish", "unpublish"]
    readonly_fields = [
        "workflow",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
        "statements_to_decide",
    ]
    history_list_display = ["status"]
    change_form_template = "admin/casestudies/casestudy/change_form.html"
    #: In the order people write; the organisation roles (an inline) come after the first
    #: FIELDSETS_BEFORE_ROLES of them (templates/admin/casestudies/casestudy/change_form.html).
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Principles met", {"fields": ["principles"]}),
        ("About the work", {"fields": ["year", "kind", "programme_status", "themes", "contacts"]}),
        ("Lead image", {"fields": ["lead_image", "lead_image_alt", "kept_lead_image"]}),
        ("Pull quote", {"fields": ["pull_quote", "pull_quote_attribution"]}),
        (
            "Publishing",
            {
                "fields": ["workflow", "published_at", "workflow_comment"],
                "description": "Member editors save drafts and submit them for review; "
                "publishers publish, schedule (with a publication date in the future) or send "
                "back to draft, with the buttons at the bottom of the page.",
            },
        ),
        ("History", {"fields": ["created_at", "created_by", "updated_at", "updated_by"]}),
    ]
    FIELDSETS_BEFORE_ROLES = 2

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor's import map is an inline <script>: give it the request's CSP
        # nonce so that the Content-Security-Policy (no 'unsafe-inline') lets it run.
        nonce = getattr(request, "csp_nonce", None)
        if nonce is not None and "media" in context:
            context["media"] = NoncedMedia.from_media(context["media"], nonce=str(nonce))
        return super().render_change_form(request, context, *args, **kwargs)

    # The editor also positions its menus with style attributes. Staff pages alone allow inline
    # styles (never inline scripts); public pages keep the strict policy.
    @method_decorator(csp_replace({"style-src": [SELF, UNSAFE_INLINE]}))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        saved = None
        request.workflow_step = None
        if object_id is not None:
            saved = self.get_object(request, unquote(object_id))
            if saved is None:  # not there, or not the user's: Django answers as usual
                return super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "POST" and "_workflow" in request.POST:
            # Checked against the case study as saved, before the form touches anything.
            step = flow.allowed(request.user, saved, request.POST["_workflow"])
            if step is None:
                raise PermissionDenied("You may not take this step on this case study.")
            request.workflow_step = step
        context = {**(extra_context or {}), **self.workflow_context(request, saved)}
        return super().changeform_view(request, object_id, form_url, context)

    def workflow_context(self, request, saved):
        """The buttons the user may press, and what publishing would still need."""
        if saved is not None and not self.has_view_permission(request, saved):
            return {}  # Django answers for objects the user may not see
        steps = flow.available(request.user, saved)
        missing = None  # nothing to check on a new or a live case study
        if saved is not None and not saved.is_public:
            missing = flow.missing_for_publication(saved)
        sent_back = None
        if saved is not None and saved.status == CaseStudy.Status.DRAFT:
            sent_back = (
                saved.status_changes.filter(to_status=CaseStudy.Status.DRAFT)
                .exclude(comment="")
                .select_related("changed_by")
                .first()
            )
        return {
            "workflow_steps": steps,
            "missing_for_publication": missing,
            "sent_back": sent_back,
            "fieldsets_before_roles": self.FIELDSETS_BEFORE_ROLES,
        }

    # Scoping: what each user may see and do.

    def has_view_history_permission(self, request, obj=None):
        # Member editors read the history of their organisation's published work too.
        return self.has_view_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "principles":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        if db_field.name == "contacts":
            # Only contacts the user may see: attaching another's id would reveal its details.
            kwargs["queryset"] = self.admin_site._registry[Contact].get_queryset(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        qs = super().get_queryset(request).visible_to(request.user)
        return qs.prefetch_related(
            Prefetch("roles", queryset=CaseStudyOrganisation.objects.select_related("organisation"))
        )

    @staticmethod
    def has_role(request):
        """Publishers, and member editors linked to an organisation; nobody else."""
        return is_publisher(request.user) or editor_organisation(request.user) is not None

    def has_module_permission(self, request):
        return super().has_module_permission(request) and self.has_role(request)

    def has_view_permission(self, request, obj=None):
        if not (super().has_view_permission(request, obj) and self.has_role(request)):
            return False
        if obj is None or is_publisher(request.user):
            return True
        return CaseStudy.objects.visible_to(request.user).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self.has_role(request)

    def has_change_permission(self, request, obj=None):
        if not (super().has_change_permission(request, obj) and self.has_role(request)):
            return False
        return obj is None or can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not (super().has_delete_permission(request, obj) and self.has_role(request)):
            return False
        if is_publisher(request.user) or obj is None:
            return True
        return can_edit(request.user, obj)

    def get_deleted_objects(self, objs, request):
        # The status log is read only in the admin, but goes with its case study.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(StatusChange._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_publisher(request.user):
            # Deleting is one by one for member editors, so that nothing published goes.
            actions.pop("delete_selected", None)
        return actions

    def get_inlines(self, request, obj):
        # A new case study has no status log yet.
        inlines = super().get_inlines(request, obj)
        return inlines if obj is not None else [i for i in inlines if i is not StatusChangeInline]

    def get_urls(self):
        return [*imports.urls(self), *super().get_urls()]

    @admin.display(description="Statements the import could not match")
    def statements_to_decide(self, obj):
        return statements.describe(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_publisher(request.user):
            fields.append("published_at")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            if name == "History" and obj is None:
                continue  # nothing to show until there is a history
            if (
                name == "Principles met"
                and obj is not None
                and obj.unrecognised_statements.exists()
            ):
                # Only an imported case study may cite statements no principle holds.
                options = {**options, "fields": [*options["fields"], "statements_to_decide"]}
            if name == "Publishing" and not is_publisher(request.user):
                options = {
                    "fields": ["workflow"],
                    "description": "Save your draft as often as you like; press "
                    "“Submit for review” when it is ready for a publisher.",
                }
            fieldsets.append((name, options))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        step = getattr(request, "workflow_step", None)
        return type(form.__name__, (form,), {"workflow_step": step})

    def save_model(self, request, obj, form, change):
        user = request.user
        if not is_publisher(user):
            if obj.status not in allowed_statuses(user):
                raise PermissionDenied("Only publishers publish case studies.")
            if change and not can_edit(user, obj):
                raise PermissionDenied
        if not change:
            obj.created_by = user
        obj.updated_by = user
        if obj.status == CaseStudy.Status.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        history.hold_history(obj)  # one version per save, once its links are saved too
        super().save_model(request, obj, form, change)
        forget_kept(form.cleaned_data.get("lead_image"))  # saved for good: drop the kept copy

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        case_study = form.instance
        organisation = editor_organisation(request.user)
        # A member editor's organisation always keeps its part in their case studies.
        if (
            organisation is not None
            and not is_publisher(request.user)
            and not case_study.roles.filter(organisation=organisation).exists()
        ):
            role = (
                CaseStudyOrganisation.Role.COUNCIL
                if organisation.kind == Organisation.Kind.COUNCIL
                else CaseStudyOrganisation.Role.DELIVERY
            )
            case_study.roles.create(organisation=organisation, role=role)
        step = getattr(request, "workflow_step", None)
        if step is not None:
            missing = flow.missing_for_publication(case_study) if step.needs_ready else []
            if missing:
                request.workflow_refused = missing
            else:
                request.workflow_done = flow.take(
                    step,
                    request.user,
                    case_study,
                    comment=form.cleaned_data.get("workflow_comment", ""),
                    when=form.cleaned_data.get("published_at"),
                )
        history.finish_version(case_study, "~" if change else "+", user=request.user)

    def _workflow_response(self, request, obj):
        """After a step: say what happened and go where the next work is (the admin home);
        after a refused step, say what is missing and stay on the page. None otherwise."""
        done = getattr(request, "workflow_done", None)
        if done:
            self.message_user(request, done, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:index"))
        missing = getattr(request, "workflow_refused", None)
        if missing:
            self.message_user(
                request,
                "Your changes were saved, but it was not published: it still needs "
                + "; ".join(missing)
                + ".",
                messages.WARNING,
            )
            return HttpResponseRedirect(
                reverse("admin:casestudies_casestudy_change", args=[obj.pk])
            )
        return None

    def response_add(self, request, obj, post_url_continue=None):
        return self._workflow_response(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._workflow_response(request, obj) or super().response_change(request, obj)

    object_history_form_template = "admin/casestudies/casestudy/object_history_form.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """The revert page also lists the organisation roles that reverting restores (the form
        has no inline for them there)."""
        version = CaseStudy.history.filter(id=object_id, history_id=version_id).first()
        roles = None  # not recorded in this version
        if version is not None and version.organisation_roles is not None:
            kept = [organisation_id for organisation_id, _ in version.organisation_roles]
            names = dict(Organisation.objects.filter(pk__in=kept).values_list("pk", "name"))
            labels = dict(CaseStudyOrganisation.Role.choices)
            roles = [
                (names.get(organisation_id, "(an organisation since deleted)"), labels.get(role))
                for organisation_id, role in version.organisation_roles
            ]
        return super().history_form_view(
            request,
            object_id,
            version_id,
            extra_context={"version_roles": roles, **(extra_context or {})},
        )

    def delete_queryset(self, request, queryset):
        if not is_publisher(request.user):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    # Display.

    def view_on_site(self, obj):
        """Live case studies link to their page; others to the staff-only preview."""
        return obj.get_absolute_url() if obj.is_public else obj.get_preview_url()

    @admin.display(description="status", ordering="status")
    def workflow(self, obj):
        if obj is None or obj.pk is None:
            return "New: a draft until you submit it"
        return workflow_label(obj)

    @admin.display(description="organisations")
    def organisation_names(self, obj):
        return ", ".join(sorted({role.organisation.name for role in obj.roles.all()}))


@admin.register(CaseStudyAwaitingReview)
class ReviewQueueAdmin(WorkflowActionsMixin, admin.ModelAdmin):
    """Publishers' queue: case studies submitted for review, oldest first."""

    list_display = ["title", "organisation_names", "submitted", "review_links"]
    list_display_links = None
    search_fields = ["title", "organisations__name"]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .waiting_for_review()
            .prefetch_related(
                Prefetch(
                    "roles", queryset=CaseStudyOrganisation.objects.select_related("organisation")
                ),
                Prefetch(
                    "status_changes",
                    queryset=StatusChange.objects.filter(
                        to_status=CaseStudy.Status.IN_REVIEW
                    ).select_related("changed_by"),
                    to_attr="submissions",
                ),
            )
        )

    def has_module_permission(self, request):
        return is_publisher(request.user)

    def has_view_permission(self, request, obj=None):
        return is_publisher(request.user)

    def has_change_permission(self, request, obj=None):
        return is_publisher(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The case study itself is edited in one place.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:casestudies_casestudy_change", args=[object_id]))

    @admin.display(description="organisations")
    def organisation_names(self, obj):
        return ", ".join(sorted({role.organisation.name for role in obj.roles.all()}))

    @admin.display(description="submitted")
    def submitted(self, obj):
        if not obj.submissions:
            return "-"
        latest = obj.submissions[0]
        when = f"{timezone.localtime(latest.changed_at):%d %b %Y %H:%M}"
        return f"{when} by {latest.changed_by}" if latest.changed_by else when

    @admin.display(description="review")
    def review_links(self, obj):
        return format_html(
            '<a href="{}">Edit</a> · <a href="{}">Preview</a>',
            reverse("admin:casestudies_casestudy_change", args=[obj.pk]),
            obj.get_preview_url(),
        )


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """Every status change of every case study: who moved it, when, from what to what."""

    list_display = ["changed_at", "case_study", "from_status", "to_status", "changed_by"]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["case_study", "changed_by"]
    search_fields = ["case_study__title", "changed_by__username"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
