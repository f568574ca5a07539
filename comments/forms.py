"""The comment form: the visitor's fields, the captcha, a honeypot and a signed timestamp."""

import time

from django import forms
from django.core.validators import URLValidator
from django.utils.crypto import constant_time_compare, salted_hmac

from . import conf
from .captcha import captcha_field
from .models import Comment
from .moderation import derive_subject
from .text import one_line, render_plain_text, without_controls

TEXT_RULES = (
    "Plain text: No HTML tags allowed. Web page addresses and e-mail addresses turn into "
    "links automatically. Lines and paragraphs break automatically."
)
MAX_TEXT_LENGTH = 5000


def target_label(target):
    meta = target._meta
    return f"{meta.app_label}.{meta.model_name}"


def security_hash(target_key, timestamp):
    """Sign the target and the time the form was served, so neither can be changed."""
    return salted_hmac("comments.form", f"{target_key}:{timestamp}").hexdigest()


class PlainTextField(forms.CharField):
    """Text as typed, with the browser's CRLF line ends as plain newlines.

    So the length counted here is the one the textarea's maxlength counted.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return without_controls(value.replace("\r\n", "\n").replace("\r", "\n"))


class OneLineField(forms.CharField):
    """A name or subject: on one line, without control or direction characters (they would
    show as boxes, break a mail's header or turn the text around them)."""

    def to_python(self, value):
        return one_line(super().to_python(value))


HOMEPAGE_MESSAGE = "Enter a web address starting with http:// or https://."


class HomepageField(forms.URLField):
    """A web address with http:// or https:// only, checked once (one message per mistake)."""

    default_validators = [URLValidator(schemes=["http", "https"], message=HOMEPAGE_MESSAGE)]


class CommentForm(forms.Form):
    """A new comment on `target`; staff (`user.is_staff`) need no captcha, name or e-mail."""

    name = OneLineField(
        label="Your name",
        max_length=60,
        error_messages={"required": "Enter your name."},
    )
    email = forms.EmailField(
        label="E-mail",
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter an e-mail address like name@example.com.",
        },
        help_text="The content of this field is kept private and will not be shown publicly.",
    )
    homepage = HomepageField(
        label="Homepage",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": HOMEPAGE_MESSAGE},
        help_text="Optional. An address starting with http:// or https://.",
    )
    subject = OneLineField(
        label="Subject",
        required=False,
        max_length=64,
        help_text="Optional. Left blank, the first words of your comment are used.",
    )
    text = PlainTextField(
        label="Comment",
        max_length=MAX_TEXT_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        help_text=TEXT_RULES,
        error_messages={"required": "Write your comment."},
    )
    remember = forms.BooleanField(
        label="Save my name, e-mail and homepage for the next comment",
        required=False,
        help_text="Kept in a cookie on this device only.",
    )
    notify = forms.BooleanField(
        label="Notify me of replies to my comment",
        required=False,
        help_text="The first time, we send an e-mail to confirm your address. Every notice "
        "has a link to stop them.",
    )
    # Last before the buttons: a refused answer is retyped right where the visitor posts again.
    captcha = captcha_field()
    # Hidden from people by CSS; bots fill every field they find.
    website = forms.CharField(
        label="Leave this field blank",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    timestamp = forms.IntegerField(widget=forms.HiddenInput)
    security_hash = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(
        self, target, data=None, *, user=None, parent=None, now=None, preview=False, **kwargs
    ):
        self.target = target
        self.user = user
        self.preview = preview
        self.now = time.time() if now is None else now
        initial = kwargs.pop("initial", {})
        if data is None:
            timestamp = int(self.now)
            initial.update(
                timestamp=timestamp,
                security_hash=security_hash(self.target_key, timestamp),
                parent=parent.pk if parent else None,
            )
        super().__init__(data, initial=initial, **kwargs)
        if self.is_staff:
            for name in ("name", "email", "homepage", "captcha", "remember"):
                del self.fields[name]
        if preview and "captcha" in self.fields:
            # A preview shows the same captcha again, with the answer typed, and spends nothing.
            self.fields["captcha"].checked = False
            self.fields["captcha"].widget.kept_key = (data or {}).get("captcha_0")
        if not conf.get("COMMENTS_HONEYPOT"):
            del self.fields["website"]
        if data is not None:
            self._submitted = {
                key: data.get(key, "") for key in ("timestamp", "security_hash")
            }
            # A refused form is shown again with a new captcha but the time it was first
            # served, so the corrected answer can be posted at once; a damaged or expired
            # signature is replaced by a fresh one.
            self.data = data.copy()
            if not self.signature_valid() or self.age() > conf.get("COMMENTS_MAX_FORM_AGE_SECONDS"):
                timestamp = int(self.now)
                self.data["timestamp"] = str(timestamp)
                self.data["security_hash"] = security_hash(self.target_key, timestamp)

    @property
    def is_staff(self):
        return self.user is not None and self.user.is_authenticated and self.user.is_staff

    @property
    def target_key(self):
        return f"{target_label(self.target)}:{self.target.pk}"

    def honeypot_filled(self):
        return "website" in self.fields and bool(self.data.get("website", ""))

    def signature_valid(self):
        """True if the posted timestamp and hash were issued by us for this target."""
        submitted = self._submitted
        return submitted["timestamp"].isdigit() and constant_time_compare(
            submitted["security_hash"], security_hash(self.target_key, submitted["timestamp"])
        )

    def age(self):
        """Seconds since the posted form was first served (call after signature_valid())."""
        return self.now - int(self._submitted["timestamp"])

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("Write your comment.", code="required")
        return text

    def clean(self):
        cleaned = super().clean()
        if not self.signature_valid():
            raise forms.ValidationError(
                "The form was changed or damaged: please post your comment again.",
                code="tampered",
            )
        age = self.age()
        # Only a form that is otherwise fine can be "too quick": a person who pressed Post on
        # an empty form needs the messages about what is missing, not this one as well.
        too_quick = age < conf.get("COMMENTS_MIN_SUBMIT_SECONDS") and not self.errors
        if too_quick and not self.preview:
            raise forms.ValidationError(
                "That was quicker than a person can type: please check your comment and post it again.",
                code="too_fast",
            )
        if age > conf.get("COMMENTS_MAX_FORM_AGE_SECONDS"):
            raise forms.ValidationError(
                "This form has expired: please post your comment again.", code="expired"
            )
        return cleaned

    def poster(self):
        """Return the name, e-mail and homepage the comment is stored with."""
        if self.is_staff:
            return {
                "name": (self.user.get_full_name() or self.user.get_username())[:60],
                "email": self.user.email,
                "homepage": "",
            }
        return {key: self.cleaned_data[key] for key in ("name", "email", "homepage")}

    def comment_fields(self):
        return {
            **self.poster(),
            "subject": self.cleaned_data.get("subject", ""),
            "text": self.cleaned_data["text"],
        }

    def wants_reply_notices(self):
        return bool(self.cleaned_data.get("notify"))

    def wants_remembering(self):
        return "remember" in self.fields and bool(self.cleaned_data.get("remember"))

    def preview_comment(self):
        """The comment as it would be shown, unsaved (call after is_valid())."""
        fields = self.comment_fields()
        typed = fields["subject"].strip()
        return Comment(
            name=fields["name"],
            homepage=fields["homepage"],
            subject=typed or derive_subject(fields["text"]),
            subject_derived=not typed,
            text=fields["text"],
            html=render_plain_text(fields["text"]),
        )

    def visible_input_fields(self):
        return [field for field in self if not field.is_hidden and field.name != "website"]
