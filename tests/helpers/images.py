"""Image files as an editor's browser uploads them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.helpers.admin_forms import change_form_data


def image_file(name="photo.png", size=(2000, 1000), image_format="PNG", mode="RGB"):
    """Return an upload of a plain `size` image named `name`, in `image_format`."""
    buffer = io.BytesIO()
    Image.new(mode, size, "navy" if mode == "RGB" else 0).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def upload_lead_image(client, comparison, size=(2000, 1000)):
    """Upload a lead image through the admin's change form; return the comparison as saved."""
    address = f"/admin/comparisons/comparison/{comparison.pk}/change/"
    data = change_form_data(client.get(address))
    data.update(lead_image=image_file(size=size), lead_image_alt="A navy rectangle")
    assert client.post(address, data).status_code == 302
    comparison.refresh_from_db()
    return comparison
