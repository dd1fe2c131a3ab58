"""Scoping that every staff page shares."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from ..publishing.roles import is_publisher


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's pages (history, each version, revert) held to the change page's scope.

    Left to itself, simple-history judges a version page by the *kept version* (a contact that
    once worked for the editor's organisation would pass) and saves a revert POST from anyone
    who may view the page, even when it hides the Revert button. Here the object as it is now
    must be in `get_queryset(request)`, reading its history needs `has_view_history_permission`
    on it, and reverting needs `has_change_history_permission` on it. An object since deleted
    has its history shown to publishers only.
    """

    def has_view_history_permission(self, request, obj=None):
        # Versions show every past value of every field: for those who may change the record.
        return self.has_change_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def live_object(self, request, object_id):
        """The object as it is now, if `request.user` may see it; None if it was deleted and
        the user is a publisher; 404 otherwise."""
        manager = self.model._default_manager
        try:
            live = self.get_queryset(request).filter(pk=unquote(object_id)).first()
            exists = live is not None or manager.filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError, ValidationError) as error:
            raise Http404("No such object.") from error
        if live is None and (exists or not is_publisher(request.user)):
            raise Http404("No such object.")
        return live

    def history_view(self, request, object_id, extra_context=None):
        live = self.live_object(request, object_id)
        if not self.has_view_history_permission(request, live):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        live = self.live_object(request, object_id)
        if not self.has_view_history_permission(request, live):
            raise PermissionDenied
        if request.method == "POST" and not self.has_change_history_permission(request, live):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class PublishersOnly:
    """Pages for publishers alone, to read, never to change or delete (logs, requests, records
    that other pages decide on). Add is the model admin's to say."""

    def has_module_permission(self, request):
        return is_publisher(request.user)

    def has_view_permission(self, request, obj=None):
        return is_publisher(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PublishersReadOnly(PublishersOnly):
    """Publishers read them; nobody adds one through the admin."""

    def has_add_permission(self, request, obj=None):
        return False
