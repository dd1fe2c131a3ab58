"""A second factor for staff who publish: TOTP (an authenticator app) with recovery codes.

Publishers and superusers (settings.STAFF_TWO_FACTOR_PERMISSIONS) must use one when
settings.STAFF_TWO_FACTOR is on (the default in production; off for development and tests
unless they turn it on). The admin's sign-in form has an optional code field: such a user
signs in with password and code; the first time, with no authenticator yet, they sign in with
the password and are sent to set one up, and get ten recovery codes once.

Sign-in lockout (django-axes, per username and address) stays; a sign-in carrying a valid code
for that username is never locked out (`valid_second_factor`, axes' whitelist callable), so an
attacker on a shared address who guesses passwords cannot keep a publisher out.

Built on django-otp's devices (TOTPDevice, StaticDevice) and token matching; the QR code is
drawn by segno as inline SVG (no image service, no CDN).
"""

from base64 import b32encode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
CODE_FIELD = forms.CharField(
    label="Authentication code",
    required=False,
    max_length=16,
    help_text="From your authenticator app, or one of your recovery codes.",
    widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
)


def requires_second_factor(user):
    """Whether `user` may use the staff site only with a second factor."""
    return bool(
        settings.STAFF_TWO_FACTOR
        and user.is_authenticated
        and (user.is_superuser or user.has_perms(settings.STAFF_TWO_FACTOR_PERMISSIONS))
    )


def lacks_second_factor(user):
    """Signed in with the password only, where a second factor is required."""
    return requires_second_factor(user) and not user.is_verified()


def _matching_device(user, code):
    code = (code or "").replace(" ", "")
    return django_otp.match_token(user, code) if code else None


def valid_second_factor(request, credentials):
    """axes' whitelist callable: a sign-in with a valid code for its username is not locked
    out. The device is kept on the request, so the form does not use the code a second time."""
    username = (credentials or {}).get("username")
    code = request.POST.get("code") if request is not None else None
    if not username or not code:
        return False
    user = get_user_model()._default_manager.filter(username=username, is_active=True).first()
    device = _matching_device(user, code) if user is not None else None
    if device is None:
        return False
    request.second_factor_device = device
    return True


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in: username, password and, for those who have one, a code."""

    code = CODE_FIELD

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        device = getattr(self.request, "second_factor_device", None)
        code = self.cleaned_data.get("code")
        if device is None and code:
            device = _matching_device(user, code)
            if device is None:
                raise forms.ValidationError(
                    "That authentication code is not right: try the newest one from your app, "
                    "or a recovery code.",
                    code="invalid_code",
                )
        if device is None and requires_second_factor(user) and django_otp.user_has_device(user):
            raise forms.ValidationError(
                "Enter the authentication code from your app (or a recovery code) too.",
                code="code_required",
            )
        if device is not None:
            user.otp_device = device  # django-otp marks the session verified at sign-in


class ConfirmForm(forms.Form):
    code = CODE_FIELD


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index")


@never_cache
@csrf_protect
def setup(request):
    """Set up an authenticator app: scan the code, confirm with a code, keep the recovery
    codes. For signed-in staff who need a second factor and have none confirmed yet."""
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return redirect(f"{reverse('admin:login')}?next={request.path}")
    if not lacks_second_factor(user):
        return redirect(_next(request))
    if django_otp.user_has_device(user):
        # Set up already, but this session signed in without a code: sign in again with it.
        return render(
            request,
            "admin/two_factor_setup.html",
            {"title": "Two-factor authentication", "signed_in_without_code": True},
        )
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save()
            codes = _new_recovery_codes(user)
            django_otp.login(request, device)
            return render(
                request,
                "admin/two_factor_setup.html",
                {
                    "title": "Two-factor authentication",
                    "recovery_codes": codes,
                    "next": _next(request),
                },
            )
        form.add_error("code", "That code is not right: enter the newest one your app shows.")
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "admin/two_factor_setup.html",
        {
            "title": "Set up two-factor authentication",
            "form": form,
            "qr_svg": qr.svg_inline(scale=4, title="QR code for your authenticator app"),
            "secret": _base32(device),
            "next": _next(request),
        },
    )


def _base32(device):
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def _new_recovery_codes(user):
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes
