"""The captcha every person can pass: readable codes, answers in any case, audio with flite."""

import array
import io
import random
import re
import shutil
import subprocess
import wave
from io import BytesIO

import pytest
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from PIL import Image

from comments.captcha import ALPHABET, CAPTCHA_HELP, readable_challenge
from comments.forms import target_label
from comments.models import Comment
from tests.comments.conftest import form_data

pytestmark = pytest.mark.django_db

POST_URL = "/comments/post/"
LOOK_ALIKES = "IJL1OQ0DCGB8S5Z2UV6972FR"
FLITE = shutil.which("flite")


def form_url(target):
    return f"/comments/new/{target_label(target)}/{target.pk}/"


def shown_key(html):
    return re.search(r'name="captcha_0" value="([0-9a-f]{40})"', html).group(1)


@pytest.fixture
def with_flite(monkeypatch):
    # django-simple-captcha reads its settings once, at import: patch its module.
    assert FLITE, "flite must be installed (Debian package flite)"
    monkeypatch.setattr(captcha_settings, "CAPTCHA_FLITE_PATH", FLITE)
    return FLITE


@pytest.fixture
def without_flite(monkeypatch):
    monkeypatch.setattr(captcha_settings, "CAPTCHA_FLITE_PATH", None)


def test_codes_use_no_look_alike_characters():
    assert not set(ALPHABET) & set(LOOK_ALIKES)
    random.seed(7)
    codes = [readable_challenge() for _ in range(500)]
    random.seed()
    assert all(len(shown) == 4 and answer == shown.lower() for shown, answer in codes)
    assert set("".join(shown for shown, _ in codes)) == set(ALPHABET)


def test_the_site_draws_readable_codes():
    assert captcha_settings.get_challenge() is readable_challenge
    key = CaptchaStore.generate_key()
    assert set(CaptchaStore.objects.get(hashkey=key).challenge) <= set(ALPHABET)


@pytest.mark.parametrize("typed", [str.lower, str.upper, str.title])
def test_answers_are_accepted_in_any_letter_case(client, article, typed):
    data = form_data(article)
    data["captcha_1"] = " " + typed(CaptchaStore.objects.get().challenge) + " "
    assert client.post(POST_URL, data).status_code == 302
    assert Comment.objects.count() == 1


def test_image_is_large_and_sharp_on_high_density_screens(client, article):
    html = client.get(form_url(article)).content.decode()
    key = shown_key(html)
    assert (
        f'<img class="captcha__image" src="/captcha/image/{key}/" '
        f'srcset="/captcha/image/{key}@2/ 2x"' in html
    )
    normal = Image.open(BytesIO(client.get(f"/captcha/image/{key}/").content))
    sharp = Image.open(BytesIO(client.get(f"/captcha/image/{key}@2/").content))
    # The old image was 86x29: the code is now drawn at least twice as tall.
    assert normal.height >= 2 * 29
    assert normal.width >= 100
    assert abs(sharp.height - 2 * normal.height) <= 2


def test_listen_to_the_code_beside_the_image(client, article, with_flite):
    html = client.get(form_url(article)).content.decode()
    key = shown_key(html)
    assert (
        f'<audio controls preload="none" src="/captcha/audio/{key}.wav" '
        'aria-label="Listen to the code" data-captcha-audio></audio>'
    ) in html
    assert (
        f'<a href="/captcha/audio/{key}.wav" data-captcha-audio-link>Listen to the code'
        '<span class="visually-hidden"> as a sound file</span></a>'
    ) in html
    assert "type it in the box below, or listen to it" in html


def test_the_sound_speaks_the_code_of_the_image(client, article, with_flite, monkeypatch):
    key = shown_key(client.get(form_url(article)).content.decode())
    spoken = []
    run = subprocess.run

    def record(command, *args, **kwargs):
        if command[0] == with_flite:
            spoken.append(command[command.index("-t") + 1])
        return run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", record)
    response = client.get(f"/captcha/audio/{key}.wav")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    sound = response.content
    assert sound[:4] == b"RIFF" and sound[8:12] == b"WAVE" and len(sound) > 10_000
    challenge = CaptchaStore.objects.get(hashkey=key).challenge
    assert spoken == list(challenge)  # one character at a time


def spoken_parts(sound):
    """How many separate sounds `sound` (WAV bytes) holds: loud stretches apart by a pause of
    at least 0.3 s (the noise under them is quiet)."""
    with wave.open(io.BytesIO(sound)) as wav:
        rate = wav.getframerate()
        samples = array.array("h", wav.readframes(wav.getnframes()))
    frame = rate // 50  # 20 ms
    loud = [
        max(abs(value) for value in samples[start : start + frame]) > 3000
        for start in range(0, len(samples), frame)
    ]
    parts, quiet_run = 0, 15
    for is_loud in loud:
        if is_loud:
            parts += quiet_run >= 15
            quiet_run = 0
        else:
            quiet_run += 1
    return parts


@pytest.mark.parametrize("code", ["MMMM", "3434", "AHKW"])
def test_each_character_of_the_sound_is_heard_apart(client, with_flite, code):
    key = CaptchaStore.objects.create(challenge=code, response=code.lower()).hashkey
    assert spoken_parts(client.get(f"/captcha/audio/{key}.wav").content) == 4


def test_no_two_characters_sound_alike():
    rhymes = ["EPTBCDGVZ3", "MN", "AJK", "FSX", "QUW"]  # "ee", "em/en", "ay", "ess/ex", "you"
    for group in rhymes:
        assert len(set(ALPHABET) & set(group)) <= (2 if group == "AJK" else 1), group


def test_new_image_renews_the_sound_too(client, with_flite):
    response = client.get("/captcha/refresh/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    data = response.json()
    assert data["image_url"] == f"/captcha/image/{data['key']}/"
    assert data["audio_url"] == f"/captcha/audio/{data['key']}.wav"


def test_without_flite_the_form_says_nothing_about_audio(client, article, without_flite):
    html = client.get(form_url(article)).content.decode()
    assert "audio" not in html.lower() and "listen" not in html.lower()
    key = shown_key(html)
    assert client.get(f"/captcha/audio/{key}.wav").status_code == 404
    # Posting still works.
    data = form_data(article)
    assert client.post(POST_URL, data).status_code == 302


def test_the_row_report_form_uses_the_same_captcha(client, bpo_kpo, with_flite):
    html = client.get(f"{bpo_kpo.get_absolute_url()}report/").content.decode()
    key = shown_key(html)
    assert (
        '<label class="field__label" for="id_captcha_1">What code is in the image? '
        '<span class="field__required">(required)</span></label>'
    ) in html
    assert re.search(r'<input type="text" name="captcha_1"[^>]*aria-describedby="id_captcha-help"', html)
    assert f'<p class="field__help" id="id_captcha-help">{CAPTCHA_HELP}</p>' in html
    assert '<button class="captcha__refresh" type="button"' in html
    assert ">New image</button>" in html
    assert f'src="/captcha/audio/{key}.wav"' in html and ">Listen to the code<" in html
    assert f'srcset="/captcha/image/{key}@2/ 2x"' in html
    assert "/static/js/comments" in html


def test_a_refused_report_names_the_captcha_error_by_the_answer_box(client, bpo_kpo):
    row = bpo_kpo.rows.first()
    html = client.post(
        f"{bpo_kpo.get_absolute_url()}report/",
        {"row": row.pk, "note": "The row is out of date, see the glossary.", "captcha_0": "x",
         "captcha_1": "wrong"},
    ).content.decode()
    assert (
        '<p class="field__error" id="id_captcha-error">The answer you entered for the CAPTCHA '
        "was not correct; type the code from the new image.</p>"
    ) in html
    assert re.search(
        r'<input type="text" name="captcha_1"[^>]*aria-describedby="id_captcha-error id_captcha-help"',
        html,
    )
    assert "The row is out of date, see the glossary." in html


# The minimum time counts from when the form was first served -------------------------------


def test_a_corrected_answer_posted_at_once_is_accepted(client, article, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 3
    data = form_data(article, age=5, captcha_1="wrong")
    refused = client.post(POST_URL, data)
    assert refused.status_code == 400
    html = refused.content.decode()
    # The form comes back signed with the time it was first served, not the refusal's.
    assert f'name="timestamp" value="{data["timestamp"]}"' in html
    again = dict(data)
    again["captcha_0"] = shown_key(html)
    again["captcha_1"] = CaptchaStore.objects.get(hashkey=again["captcha_0"]).response
    response = client.post(POST_URL, again)
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_a_too_quick_post_still_has_to_wait_from_the_first_serving(client, article):
    data = form_data(article, age=1)
    html = client.post(POST_URL, data).content.decode()
    assert "That was quicker than a person can type" in html
    assert f'name="timestamp" value="{data["timestamp"]}"' in html


def test_a_right_answer_typed_too_late_is_called_expired_not_wrong(client, article):
    from datetime import timedelta

    from django.utils import timezone

    data = form_data(article, text="Typed slowly.")
    CaptchaStore.objects.filter(hashkey=data["captcha_0"]).update(
        expiration=timezone.now() - timedelta(seconds=1)
    )
    response = client.post(POST_URL, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "That code was only valid for 30 minutes: type the code from the new image." in html
    assert "was not correct" not in html
    assert ">\nTyped slowly.</textarea>" in html
    assert not Comment.objects.exists()
