"""The admin's import page: upload write-ups or paste one, see what the import would do, confirm.

Publishers and member editors use it (whoever may add case studies); it runs the same import as
`import_writeup` (`casestudies.content.importing`), scoped to the person: a member editor's
imports are drafts of their own organisation, and may update only drafts they may change. The
preview is a dry run that saves nothing; the confirmation sends the same texts back and imports
them for real, each in its own transaction.
"""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import ngettext

from ..content.importing import (
    MAX_FILE_BYTES,
    ImportFailed,
    ImportReport,
    WriteUpImporter,
    decode,
)

#: At most this many write-ups, and this much text, at a time: the confirmation sends the texts
#: back as form fields, which Django caps at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default).
MAX_FILES = 20
MAX_TOTAL_BYTES = 2 * 1024 * 1024
PASTED = "pasted text"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="Write-up files",
        required=False,
        help_text=f"One or more .txt files, up to {MAX_FILES} at a time.",
        widget=MultipleFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    text = forms.CharField(
        label="Or paste a write-up",
        required=False,
        max_length=MAX_FILE_BYTES,
        strip=False,
        help_text="The title on the first line, then the facts (Lead Member, Year, Status...) "
        "if any, then \u201cPrinciples met\u201d and the rest, as on the network's pages.",
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
    )

    def clean(self):
        data = super().clean()
        writeups = []
        for upload in data.get("files") or []:
            if upload.size > MAX_FILE_BYTES:
                writeups.append((upload.name, ImportFailed("it is too big to be a write-up")))
                continue
            try:
                writeups.append((upload.name, decode(upload.read())))
            except ImportFailed as error:
                writeups.append((upload.name, error))
        if (data.get("text") or "").strip():
            writeups.append((PASTED, data["text"]))
        if not writeups:
            raise forms.ValidationError("Choose one or more .txt files, or paste a write-up.")
        if len(writeups) > MAX_FILES:
            raise forms.ValidationError(f"Import at most {MAX_FILES} write-ups at a time.")
        total = sum(len(text.encode()) for _name, text in writeups if isinstance(text, str))
        if total > MAX_TOTAL_BYTES:
            raise forms.ValidationError("Import at most 2 MB of text at a time.")
        data["writeups"] = writeups
        return data


def run_import(user, writeups, *, dry_run):
    """Reports for (name, text or ImportFailed) pairs."""
    importer = WriteUpImporter(user=user, dry_run=dry_run)
    reports = []
    for name, text in writeups:
        if isinstance(text, ImportFailed):
            reports.append(ImportReport(source=name, outcome="refused", reason=str(text)))
            continue
        slug = None if name == PASTED else slugify(Path(name).stem) or None
        reports.append(importer.import_text(text, source=name, slug=slug))
    return reports


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Import write-ups",
    }
    if request.method == "POST" and "confirm" in request.POST:
        names, texts = request.POST.getlist("source"), request.POST.getlist("text")
        if not names or len(names) != len(texts) or len(names) > MAX_FILES:
            messages.error(request, "The import could not be read: start again.")
            form = ImportForm()
        else:
            reports = run_import(request.user, list(zip(names, texts, strict=True)), dry_run=False)
            done = [r for r in reports if not r.refused]
            messages.success(
                request,
                ngettext(
                    "Imported %d write-up as a draft.",
                    "Imported %d write-ups as drafts.",
                    len(done),
                )
                % len(done),
            )
            if len(done) < len(reports):
                messages.warning(request, "Some write-ups were not imported: see why below.")
            return render(
                request,
                "admin/casestudies/casestudy/import_writeups.html",
                {**context, "reports": reports, "imported": True},
            )
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            writeups = form.cleaned_data["writeups"]
            reports = run_import(request.user, writeups, dry_run=True)
            kept = [
                (name, text)
                for (name, text), report in zip(writeups, reports, strict=True)
                if not report.refused
            ]
            return render(
                request,
                "admin/casestudies/casestudy/import_writeups.html",
                {**context, "reports": reports, "kept": kept, "preview": True},
            )
    else:
        form = ImportForm()
    return render(
        request, "admin/casestudies/casestudy/import_writeups.html", {**context, "form": form}
    )


def urls(model_admin):
    name = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_import"
    view = model_admin.admin_site.admin_view(lambda request: import_view(model_admin, request))
    return [path("import/", view, name=name)]
