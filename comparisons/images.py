"""Lead images: checked on upload, and resized once into responsive WebP and JPEG renditions.

Everything goes through Django's storage API, so production can keep media in an object store.
"""

import io
import posixpath
import warnings

from django import forms
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from PIL import Image, ImageOps, UnidentifiedImageError

RENDITION_WIDTHS = (480, 960, 1600)
MAX_MEGAPIXELS = 40
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
RENDITIONS_FOLDER = "comparisons/renditions"
# The lead image fills the reading column: at most 46rem (--measure in site.css) once the sidebar
# stands beside it (60rem and wider), the screen less its margins below that.
SIZES = "(min-width: 60rem) 46rem, calc(100vw - 2rem)"

NOT_AN_IMAGE = "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF picture."
TOO_LARGE = (
    "This image is too large: {width} × {height} pixels is {megapixels} megapixels, and the "
    "limit is {limit} megapixels. Resize it (1600 pixels wide is plenty) and upload it again."
)
DAMAGED = (
    "This image file is damaged or incomplete (perhaps its upload was cut short). Open it in "
    "an image editor, save it again and upload it again."
)
TOO_TALL = (
    "This image is too tall for its width: {width} × {height} pixels would make copies up to "
    "{rendition_height} pixels tall, and web images can be at most {limit} pixels tall. Crop "
    "it and upload it again."
)
WEBP_MAX_SIDE = 16383
BOMB = (
    "This image claims more than {limit} megapixels, which is more than we accept. "
    "Resize it (1600 pixels wide is plenty) and upload it again."
)


def check_image(file):
    """Raise ValidationError with a clear message unless `file` is an image we accept.

    The header is read first, so a decompression bomb is refused before it is decoded;
    then the whole image is decoded, so a damaged file is refused here and not when its
    renditions are made, and renditions that WebP could not hold are refused too.
    """
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height, image_format = image.width, image.height, image.format
                _check_header(width, height, image_format)
                try:
                    image.load()
                    width, height = ImageOps.exif_transpose(image).size
                except (OSError, ValueError, SyntaxError, EOFError):
                    raise forms.ValidationError(DAMAGED, code="damaged") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise forms.ValidationError(BOMB.format(limit=MAX_MEGAPIXELS), code="too_large") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise forms.ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    finally:
        file.seek(0)
    tallest = max(height for _, height in rendition_sizes(width, height))
    if tallest > WEBP_MAX_SIDE:
        raise forms.ValidationError(
            TOO_TALL.format(
                width=width, height=height, rendition_height=tallest, limit=WEBP_MAX_SIDE
            ),
            code="too_tall",
        )


def _check_header(width, height, image_format):
    if image_format not in ACCEPTED_FORMATS:
        raise forms.ValidationError(NOT_AN_IMAGE, code="not_an_image")
    if width * height > MAX_MEGAPIXELS * 1_000_000:
        raise forms.ValidationError(
            TOO_LARGE.format(
                width=width,
                height=height,
                megapixels=round(width * height / 1_000_000, 1),
                limit=MAX_MEGAPIXELS,
            ),
            code="too_large",
        )


def rendition_sizes(width, height):
    """Return the (width, height) of each rendition of a `width` × `height` image, narrowest
    first: the rendition widths, never enlarging."""
    return [
        (rendition_width, max(1, round(height * rendition_width / width)))
        for rendition_width in sorted({min(each, width) for each in RENDITION_WIDTHS})
    ]


class LeadImageField(forms.ImageField):
    """An image upload field whose errors say what is wrong with the file."""

    default_error_messages = {"invalid_image": NOT_AN_IMAGE}

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "seek"):
            check_image(data)
        return super().to_python(data)


def _encode(image, image_format):
    buffer = io.BytesIO()
    if image_format == "JPEG":
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        image = image.convert("RGB")
        image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(buffer, "WEBP", quality=80, method=4)
    return buffer.getvalue()


def encode_renditions(file, name):
    """Return the encoded renditions of the image in `file`, narrowest first, as
    (width, height, "webp" or "jpeg", name to save it under, bytes); nothing is saved.
    """
    file.seek(0)
    with Image.open(file) as original:
        original.load()
        image = ImageOps.exif_transpose(original)
    stem = get_valid_filename(posixpath.splitext(posixpath.basename(name))[0]) or "image"
    encoded = []
    for width, height in rendition_sizes(image.width, image.height):
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for key, image_format, extension in (("webp", "WEBP", "webp"), ("jpeg", "JPEG", "jpg")):
            target = f"{RENDITIONS_FOLDER}/{stem}-{width}.{extension}"
            encoded.append((width, height, key, target, _encode(resized, image_format)))
    file.seek(0)
    return encoded


def make_renditions(file, name, storage):
    """Resize the image in `file` to each rendition width (never enlarging), save WebP and JPEG
    copies in `storage`, and return their descriptions, narrowest first:
    [{"width": 480, "height": 252, "webp": "<name>", "jpeg": "<name>"}, ...].

    Every copy is encoded before any is saved, and a failed save removes the ones saved,
    so a failure leaves nothing in `storage`.
    """
    encoded = encode_renditions(file, name)
    renditions, saved = {}, []
    try:
        for width, height, key, target, content in encoded:
            saved.append(storage.save(target, ContentFile(content)))
            renditions.setdefault(width, {"width": width, "height": height})[key] = saved[-1]
    except Exception:
        for stored in saved:
            storage.delete(stored)
        raise
    return list(renditions.values())


def responsive_image(renditions, storage):
    """Return what a <picture> needs for `renditions`, or None when there are none."""
    if not renditions:
        return None

    def srcset(key):
        return ", ".join(f"{storage.url(r[key])} {r['width']}w" for r in renditions)

    largest = renditions[-1]
    return {
        "webp_srcset": srcset("webp"),
        "jpeg_srcset": srcset("jpeg"),
        "src": storage.url(largest["jpeg"]),
        "width": largest["width"],
        "height": largest["height"],
        "sizes": SIZES,
    }
