"""Members' forms: a question to the contacts, deleting an account, inviting someone."""

import uuid

from django import forms

from .ask import MAX_MESSAGE_CHARS


class AskForm(forms.Form):
    message = forms.CharField(
        label="Your question",
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Up to {MAX_MESSAGE_CHARS:,} characters. The contacts reply to your email "
        "address.",
    )
    #: The form's own id, so that sending it twice sends one message.
    submission = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission"] = uuid.uuid4()


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password
