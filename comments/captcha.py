"""The captcha people can read: codes without look-alike characters, drawn large, with noise
that breaks machine reading (strokes through the letters) but not a person's.

django-simple-captcha calls these through CAPTCHA_CHALLENGE_FUNCT and
CAPTCHA_NOISE_FUNCTIONS (see docs/comments.md); its image view seeds `random` with the
captcha's key, so one key always gives the same picture.
"""

import array
import io
import random
import subprocess
import tempfile
import time
import wave
from pathlib import Path

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone

# No I/J/L/1, O/Q/0/D/C/G, B/8, S/5, Z/2, U/V, 6/9/7: nothing a person can mistake, in any
# case; no F or R either, which a stroke through E's foot or P's bowl would fake. Heard, too,
# nothing that rhymes: of E/P/T/3 ("ee") only 3 ("three"), of M/N ("em", "en") only M.
ALPHABET = "AHKMWXY34"
LENGTH = 4
PLACEHOLDER_KEY = "0" * 40
CLEANUP_SECONDS = 60
_last_cleanup = float("-inf")
CAPTCHA_HELP = (
    "Capital or small letters, both are accepted. This question is for testing whether or "
    "not you are a human visitor and to prevent automated spam submissions."
)


def remove_expired_captchas(now=None):
    """Delete expired captchas, at most once a CLEANUP_SECONDS in this process.

    Every form shown stores a captcha; this keeps the table to what is still usable,
    without a cron job (purge_comment_ips also runs captcha_clean daily).
    """
    global _last_cleanup
    now = time.monotonic() if now is None else now
    if now - _last_cleanup < CLEANUP_SECONDS:
        return False
    _last_cleanup = now
    CaptchaStore.remove_expired()
    return True


def readable_challenge():
    """Return (shown, answer): LENGTH characters from ALPHABET; answers compare in any case."""
    code = "".join(random.choice(ALPHABET) for _ in range(LENGTH))
    return code, code.lower()


def noise_strokes(draw, image):
    """Draw three wavy strokes across the text, about as thick as the letters' lines: they
    join the letters, so OCR cannot cut the code into characters."""
    width, height = image.size
    thickness = max(1, height // 20)
    for _ in range(3):
        points = []
        y = random.uniform(height * 0.3, height * 0.7)
        for step in range(9):
            x = width * step / 8
            y = min(height * 0.85, max(height * 0.15, y + random.uniform(-height, height) * 0.2))
            points.append((x, y))
        draw.line(points, fill="#1f2328", width=thickness, joint="curve")
    return draw


def noise_speckles(draw, image):
    """Sprinkle small dots, light enough that the letters stand out."""
    width, height = image.size
    for _ in range(width * height // 25):
        x, y = random.randrange(width), random.randrange(height)
        draw.point((x, y), fill="#59636e")
    return draw


class CaptchaInput(CaptchaTextInput):
    """The image (sharp on high-density screens), "New image", "Listen to the code" when
    flite is installed, and the answer box; ARIA only on the answer box.

    `kept_key`, when set to a captcha's key that is still valid, shows that captcha again
    instead of a new one (a preview does not use up the code the visitor already typed).
    """

    template_name = "comments/widgets/captcha.html"
    kept_key = None
    # False renders a placeholder key and stores nothing (HEAD requests: same page, no row).
    stores_challenge = True

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        if not self.stores_challenge:
            self._value, self._key = [PLACEHOLDER_KEY, ""], PLACEHOLDER_KEY
            self.id_ = self.build_attrs(attrs).get("id")
            return
        remove_expired_captchas()
        key = self.kept_key
        if key and CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).exists():
            answer = value[1] if isinstance(value, (list, tuple)) and len(value) > 1 else ""
            self._value, self._key = [key, answer or ""], key
            self.id_ = self.build_attrs(attrs).get("id")
            return
        super().fetch_captcha_store(name, value, attrs, generator)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["image_2x"] = reverse("captcha-image-2x", kwargs={"key": self._key})
        key_input, answer_input = (w["attrs"] for w in context["widget"]["subwidgets"])
        # Valid HTML: a hidden input takes no ARIA, required or autocomplete="off"; the
        # non-standard autocorrect goes too.
        for attribute in ("aria-describedby", "aria-invalid", "required", "autocomplete"):
            key_input.pop(attribute, None)
        answer_input.pop("autocorrect", None)
        return context


class SiteCaptchaField(CaptchaField):
    """django-simple-captcha's field; with `checked` False (a preview) it neither checks nor
    spends the captcha."""

    checked = True

    def clean(self, value):
        if not self.checked:
            return value
        key = value[0] if isinstance(value, (list, tuple)) and value else ""
        if key and CaptchaStore.objects.filter(hashkey=key, expiration__lte=timezone.now()).exists():
            # Not "wrong": the visitor may well have typed it right, only too late.
            raise ValidationError(self.error_messages["expired"], code="expired")
        return super().clean(value)


def captcha_field(**kwargs):
    """The captcha form field every public form uses: same widget, label and messages."""
    return SiteCaptchaField(
        label="What code is in the image?",
        help_text=CAPTCHA_HELP,
        widget=CaptchaInput(),
        error_messages={
            "invalid": "The answer you entered for the CAPTCHA was not correct; "
            "type the code from the new image.",
            "required": "Type the code shown in the image.",
            "expired": "That code was only valid for "
            f"{captcha_settings.CAPTCHA_TIMEOUT} minutes: type the code from the new image.",
        },
        **kwargs,
    )


PAUSE_SECONDS = 0.6  # between characters: "A A" is heard as two, and counted
NOISE_LEVEL = 700  # of 32,767: a faint hiss that leaves the letters clear


def spoken_code(challenge, flite, seed):
    """Return `challenge` as WAV bytes: each character spoken on its own by `flite`, with a
    pause between (flite runs "E, E, E" into one sound), under faint noise seeded by `seed`."""
    pieces, params = [], None
    with tempfile.TemporaryDirectory(prefix="captcha-") as folder:
        for number, character in enumerate(challenge):
            path = Path(folder) / f"{number}.wav"
            subprocess.run([flite, "-t", character, "-o", str(path)], check=True, timeout=10)
            with wave.open(str(path)) as sound:
                params = sound.getparams()
                pieces.append(sound.readframes(sound.getnframes()))
    rate, width = params.framerate, params.sampwidth
    pause = b"\0" * int(rate * PAUSE_SECONDS) * width * params.nchannels
    samples = array.array("h", pause.join([b"", *pieces, b""]))
    noise = random.Random(seed)
    for index, value in enumerate(samples):
        samples[index] = max(-32768, min(32767, value + noise.randint(-NOISE_LEVEL, NOISE_LEVEL)))
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setparams(params)
        sound.writeframes(samples.tobytes())
    return out.getvalue()


def captcha_audio(request, key):
    """The captcha `key`'s code as a sound ("Listen to the code"); 410 once it is gone, 404
    where flite is not installed."""
    flite = captcha_settings.CAPTCHA_FLITE_PATH
    if not flite:
        raise Http404("No spoken codes here.")
    store = CaptchaStore.objects.filter(hashkey=key).first()
    if store is None:
        return HttpResponse(status=410)  # gone: crawlers should not keep the address
    response = HttpResponse(spoken_code(store.challenge, flite, key), content_type="audio/wav")
    response["Cache-Control"] = "private, no-store"
    return response
