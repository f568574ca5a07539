"""How many captcha images a simple OCR (tesseract) solves: a machine-readability check.

Renders N challenges (200 by default) exactly as the site serves them, at 1x and 2x, and asks
tesseract to read each one the way a spammer's script would: enlarged, and enlarged and
thresholded, with tesseract told which characters can occur. A challenge counts as solved when
any attempt reads it (compared in any letter case, as the form does).

    .venv/bin/python scripts/captcha_ocr.py              # the settings in config/settings.py
    .venv/bin/python scripts/captcha_ocr.py --before     # django-simple-captcha's defaults
    .venv/bin/python scripts/captcha_ocr.py --count 50 --save /tmp/captchas

Needs the tesseract-ocr Debian package.
"""

import argparse
import os
import random
import shutil
import string
import subprocess
import sys
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# django-simple-captcha's defaults, as the site used them before it chose its own.
LIBRARY_DEFAULTS = {
    "CAPTCHA_CHALLENGE_FUNCT": "captcha.helpers.random_char_challenge",
    "CAPTCHA_FONT_PATH": None,  # filled in: the library's Vera.ttf
    "CAPTCHA_FONT_SIZE": 22,
    "CAPTCHA_LETTER_ROTATION": (-35, 35),
    "CAPTCHA_NOISE_FUNCTIONS": ("captcha.helpers.noise_arcs", "captcha.helpers.noise_dots"),
    "CAPTCHA_FILTER_FUNCTIONS": ("captcha.helpers.post_smooth",),
    "CAPTCHA_FOREGROUND_COLOR": "#001100",
    "CAPTCHA_BACKGROUND_COLOR": "#ffffff",
    "CAPTCHA_LETTER_COLOR_FUNCT": None,
    "CAPTCHA_LENGTH": 4,
}


def use_library_defaults(captcha_settings):
    values = dict(LIBRARY_DEFAULTS)
    values["CAPTCHA_FONT_PATH"] = str(
        Path(captcha_settings.__file__).resolve().parent.parent / "fonts" / "Vera.ttf"
    )
    for name, value in values.items():
        setattr(captcha_settings, name, value)


def render(challenge, scale, seed):
    """Return the PNG bytes the site serves for `challenge` (its image view, seeded alike)."""
    from captcha import views
    from captcha.models import CaptchaStore

    random.seed(seed)
    try:
        response = views._captcha_image(CaptchaStore(challenge=challenge), scale)
    finally:
        random.seed()
    return response.content


def attempts(png, alphabet):
    """Yield what tesseract reads in the image, as is and cleaned up."""
    from PIL import Image, ImageOps

    image = Image.open(BytesIO(png)).convert("L")
    big = image.resize((image.width * 3, image.height * 3), Image.LANCZOS)
    binary = big.point(lambda value: 255 if value > 140 else 0)
    bordered = ImageOps.expand(binary, border=20, fill=255)
    for candidate in (big, bordered):
        buffer = BytesIO()
        candidate.save(buffer, "PNG")
        result = subprocess.run(
            ["tesseract", "stdin", "stdout", "--psm", "7",
             "-c", f"tessedit_char_whitelist={alphabet}"],
            input=buffer.getvalue(), capture_output=True, check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
        yield "".join(result.stdout.decode(errors="ignore").split())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--before", action="store_true", help="the library's default settings")
    parser.add_argument("--save", help="a folder to keep the images in, to look at them")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("tesseract") is None:
        sys.exit("Install tesseract first: apt-get install tesseract-ocr")

    import django

    django.setup()
    from captcha.conf import settings as captcha_settings

    if args.before:
        use_library_defaults(captcha_settings)
    challenge_function = captcha_settings.get_challenge()
    save = Path(args.save) if args.save else None
    if save:
        save.mkdir(parents=True, exist_ok=True)

    random.seed(args.seed)
    challenges = [challenge_function() for _ in range(args.count)]
    alphabet = "".join(sorted({char for shown, _ in challenges for char in shown}))
    if args.before:
        alphabet = string.ascii_uppercase
    solved = {1: 0, 2: 0}
    for number, (shown, answer) in enumerate(challenges):
        for scale in (1, 2):
            png = render(shown, scale, seed=f"{args.seed}-{number}")
            if save:
                (save / f"{number:03d}-{shown}@{scale}.png").write_bytes(png)
            if any(read.lower() == answer.lower() for read in attempts(png, alphabet)):
                solved[scale] += 1
    from PIL import Image

    sample = Image.open(BytesIO(render(challenges[0][0], 1, seed="size")))
    print(f"{'settings':<10} {'challenges':>10} {'size (1x)':>10} {'solved 1x':>10} {'solved 2x':>10}")
    label = "before" if args.before else "current"
    print(
        f"{label:<10} {args.count:>10} {f'{sample.width}x{sample.height}':>10} "
        f"{solved[1]:>5} ({solved[1] * 100 / args.count:4.1f}%) "
        f"{solved[2]:>3} ({solved[2] * 100 / args.count:4.1f}%)"
    )


if __name__ == "__main__":
    main()
