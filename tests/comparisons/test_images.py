"""Lead images: alt text required, renditions made once on upload, bad files refused clearly."""

import io
import random

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from comparisons.images import make_renditions
from comparisons.models import Comparison
from tests.factories import make_comparison
from tests.helpers.admin_forms import change_form_data
from tests.helpers.images import image_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, comparison, file, alt="Two towers side by side"):
    address = f"/admin/comparisons/comparison/{comparison.pk}/change/"
    data = change_form_data(client.get(address))
    data.update(lead_image=file, lead_image_alt=alt)
    return client.post(address, data)


def form_errors(response):
    return response.context["adminform"].form.errors


def test_upload_makes_webp_and_jpeg_renditions_once(publisher_client):
    comparison = make_comparison("BPO", "KPO")
    response = upload(publisher_client, comparison, image_file())
    assert response.status_code == 302
    comparison.refresh_from_db()
    renditions = comparison.lead_image_renditions
    assert [(r["width"], r["height"]) for r in renditions] == [(480, 240), (960, 480), (1600, 800)]
    for rendition in renditions:
        for key, image_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
            with default_storage.open(rendition[key]) as stored, Image.open(stored) as image:
                assert (image.format, image.size) == (
                    image_format,
                    (rendition["width"], rendition["height"]),
                )
    assert renditions[0]["webp"] == "comparisons/renditions/photo-480.webp"
    assert renditions[2]["jpeg"] == "comparisons/renditions/photo-1600.jpg"


def test_small_images_are_never_enlarged(publisher_client):
    comparison = make_comparison("BPO", "KPO")
    upload(publisher_client, comparison, image_file("small.jpg", (600, 300), "JPEG"))
    comparison.refresh_from_db()
    assert [r["width"] for r in comparison.lead_image_renditions] == [480, 600]


def test_page_serves_a_responsive_picture_loaded_first(publisher_client, client):
    comparison = make_comparison("BPO", "KPO")
    upload(publisher_client, comparison, image_file())
    html = client.get(comparison.get_absolute_url()).content.decode()
    webp = ", ".join(f"/media/comparisons/renditions/photo-{w}.webp {w}w" for w in (480, 960, 1600))
    jpeg = ", ".join(f"/media/comparisons/renditions/photo-{w}.jpg {w}w" for w in (480, 960, 1600))
    sizes = "(min-width: 60rem) 46rem, calc(100vw - 2rem)"  # the reading column
    assert f'<source type="image/webp" srcset="{webp}" sizes="{sizes}">' in html
    assert (
        f'<img src="/media/comparisons/renditions/photo-1600.jpg" srcset="{jpeg}" sizes="{sizes}" '
        'width="1600" height="800" alt="Two towers side by side" loading="eager" fetchpriority="high" '
        'decoding="async">'
    ) in html


def test_alt_text_is_required_with_an_image(publisher_client):
    comparison = make_comparison("BPO", "KPO")
    response = upload(publisher_client, comparison, image_file(), alt="  ")
    assert response.status_code == 200
    assert form_errors(response)["lead_image_alt"] == [
        "Describe the image for readers who cannot see it: alt text is required when there is "
        "a lead image."
    ]
    assert not Comparison.objects.get().lead_image


def test_a_non_image_is_refused_clearly(publisher_client, media):
    comparison = make_comparison("BPO", "KPO")
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not a picture", content_type="image/png")
    response = upload(publisher_client, comparison, fake)
    assert form_errors(response)["lead_image"] == [
        "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF picture."
    ]
    assert "Two towers side by side" in response.content.decode()  # what was typed is kept
    assert not any(media.rglob("*.*"))


def test_a_50_megapixel_bomb_is_refused_before_decoding(publisher_client, media):
    comparison = make_comparison("BPO", "KPO")
    bomb = image_file("bomb.png", (10_000, 5_000), mode="1")
    response = upload(publisher_client, comparison, bomb)
    assert form_errors(response)["lead_image"] == [
        "This image is too large: 10000 × 5000 pixels is 50.0 megapixels, and the limit is 40 "
        "megapixels. Resize it (1600 pixels wide is plenty) and upload it again."
    ]
    assert not any(media.rglob("*.*"))


def test_a_huge_bomb_beyond_pillows_own_limit_is_refused_clearly(publisher_client):
    comparison = make_comparison("BPO", "KPO")
    Image.MAX_IMAGE_PIXELS, limit = 1000, Image.MAX_IMAGE_PIXELS
    try:
        response = upload(publisher_client, comparison, image_file("big.png", (100, 100)))
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    assert form_errors(response)["lead_image"] == [
        "This image claims more than 40 megapixels, which is more than we accept. Resize it "
        "(1600 pixels wide is plenty) and upload it again."
    ]


def test_clearing_the_image_drops_its_renditions(publisher_client):
    comparison = make_comparison("BPO", "KPO")
    upload(publisher_client, comparison, image_file())
    address = f"/admin/comparisons/comparison/{comparison.pk}/change/"
    data = change_form_data(publisher_client.get(address))
    data["lead_image-clear"] = "on"
    assert publisher_client.post(address, data).status_code == 302
    comparison.refresh_from_db()
    assert (comparison.lead_image.name, comparison.lead_image_renditions) == ("", [])


def truncated(file, keep):
    """`file` cut short after `keep` bytes, as an interrupted upload leaves it."""
    content = file.read()
    return SimpleUploadedFile(file.name, content[:keep], content_type=file.content_type)


def noisy_image_file(name, size, image_format):
    """An image whose pixels do not compress away, so cutting the file loses pixels."""
    image = Image.frombytes("RGB", size, random.Random(11).randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format}")


DAMAGED = (
    "This image file is damaged or incomplete (perhaps its upload was cut short). Open it in an "
    "image editor, save it again and upload it again."
)


@pytest.mark.parametrize(
    "file",
    [
        truncated(noisy_image_file("cut.png", (256, 256), "PNG"), 3000),  # short IDAT
        truncated(noisy_image_file("cut.jpg", (256, 256), "JPEG"), 3000),
    ],
    ids=["png", "jpeg"],
)
def test_a_truncated_image_is_refused_clearly_and_keeps_what_was_typed(
    editor_client, media, file
):
    comparison = make_comparison("BPO", "KPO")
    response = upload(editor_client, comparison, file, alt="Kept as typed")
    assert response.status_code == 200
    assert form_errors(response)["lead_image"] == [DAMAGED]
    assert 'value="Kept as typed"' in response.content.decode()
    assert not any(media.rglob("*.*"))
    assert not Comparison.objects.get().lead_image


@pytest.mark.parametrize(
    "size, tallest",
    [((20, 20000), 20000), ((1, 70000), 70000), ((1000, 25000), 25000)],
)
def test_an_image_too_tall_for_webp_is_refused_clearly_leaving_nothing_stored(
    editor_client, media, size, tallest
):
    comparison = make_comparison("BPO", "KPO")
    response = upload(editor_client, comparison, image_file("tall.png", size), alt="Kept")
    assert response.status_code == 200
    assert form_errors(response)["lead_image"] == [
        f"This image is too tall for its width: {size[0]} × {size[1]} pixels would make copies "
        f"up to {tallest} pixels tall, and web images can be at most 16383 pixels tall. Crop "
        "it and upload it again."
    ]
    assert 'value="Kept"' in response.content.decode()
    assert not any(media.rglob("*.*"))
    comparison.refresh_from_db()
    assert (comparison.lead_image.name, comparison.lead_image_renditions) == ("", [])


def test_an_image_just_within_webp_limits_is_accepted(publisher_client):
    comparison = make_comparison("BPO", "KPO")
    response = upload(publisher_client, comparison, image_file("tall.png", (100, 16383)))
    assert response.status_code == 302
    comparison.refresh_from_db()
    assert [(r["width"], r["height"]) for r in comparison.lead_image_renditions] == [(100, 16383)]


def test_a_failed_save_of_a_rendition_removes_the_ones_saved(media):
    class FullDisk(FileSystemStorage):
        saves = 0

        def _save(self, name, content):
            FullDisk.saves += 1
            if FullDisk.saves == 4:
                raise OSError("No space left on device")
            return super()._save(name, content)

    with pytest.raises(OSError, match="No space left"):
        make_renditions(image_file(), "photo.png", FullDisk(location=media))
    assert FullDisk.saves == 4
    assert not any(media.rglob("*.*"))


def test_the_change_form_shows_a_thumbnail(publisher_client):
    comparison = make_comparison("BPO", "KPO")
    upload(publisher_client, comparison, image_file())
    html = publisher_client.get(f"/admin/comparisons/comparison/{comparison.pk}/change/").content
    assert (
        '<img src="/media/comparisons/renditions/photo-480.jpg" width="160" height="80" '
        'alt="Two towers side by side" class="lead-image-thumbnail">'
    ) in html.decode()
