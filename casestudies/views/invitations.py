"""Accepting an invitation to be a member editor: choose a password, and you are one.

The invitation itself (signed, expiring, single-use link; what accepting does) is
casestudies.publishing.invitations; this is the page the emailed link opens.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from ..publishing.invitations import InvitationUnusable, accept, invitation_for

TEMPLATE = "casestudies/invitation_accept.html"


@never_cache
@csrf_protect
@sensitive_post_parameters("new_password1", "new_password2")
def accept_invitation(request, token):
    try:
        invitation = invitation_for(token)
    except InvitationUnusable as problem:
        # 404 for a link that was never valid, 410 for one that was and no longer is.
        status = 404 if "not a valid" in str(problem) else 410
        return render(request, TEMPLATE, {"problem": str(problem)}, status=status)
    # The password is checked against the account it will belong to (similar to the address?).
    future_user = get_user_model()(username=invitation.email, email=invitation.email)
    form = SetPasswordForm(future_user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept(invitation, form.cleaned_data["new_password1"])
        except InvitationUnusable as problem:
            return render(request, TEMPLATE, {"problem": str(problem)}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            f"Welcome: you are a member editor of {invitation.organisation.name}. "
            "Write your first case study here, then submit it for review.",
        )
        # What they came for: a new editor has nothing else to look at yet.
        return redirect("admin:casestudies_casestudy_add")
    return render(request, TEMPLATE, {"invitation": invitation, "form": form})
