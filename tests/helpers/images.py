"""Image files as an editor's browser uploads them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_file(name="photo.png", size=(2000, 1000), image_format="PNG", mode="RGB"):
    """Return an upload of a plain `size` image named `name`, in `image_format`."""
    buffer = io.BytesIO()
    Image.new(mode, size, "navy" if mode == "RGB" else 0).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")
