"""Lead images: alt text required, renditions made once on upload, bad files refused clearly."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from comparisons.models import Comparison
from tests.comparisons.helpers import change_form_data
from tests.factories import make_comparison

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_file(name="photo.png", size=(2000, 1000), image_format="PNG", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "navy" if mode == "RGB" else 0).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


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


def test_page_serves_a_responsive_lazy_picture(publisher_client, client):
    comparison = make_comparison("BPO", "KPO")
    upload(publisher_client, comparison, image_file())
    html = client.get(comparison.get_absolute_url()).content.decode()
    webp = ", ".join(
        f"/media/comparisons/renditions/photo-{w}.webp {w}w" for w in (480, 960, 1600)
    )
    jpeg = ", ".join(f"/media/comparisons/renditions/photo-{w}.jpg {w}w" for w in (480, 960, 1600))
    sizes = "(min-width: 74rem) 70rem, calc(100vw - 2rem)"
    assert f'<source type="image/webp" srcset="{webp}" sizes="{sizes}">' in html
    assert (
        f'<img src="/media/comparisons/renditions/photo-1600.jpg" srcset="{jpeg}" sizes="{sizes}" '
        'width="1600" height="800" alt="Two towers side by side" loading="lazy" decoding="async">'
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


def test_the_change_form_shows_a_thumbnail(publisher_client):
    comparison = make_comparison("BPO", "KPO")
    upload(publisher_client, comparison, image_file())
    html = publisher_client.get(f"/admin/comparisons/comparison/{comparison.pk}/change/").content
    assert (
        '<img src="/media/comparisons/renditions/photo-480.jpg" width="160" height="80" '
        'alt="Two towers side by side" class="lead-image-thumbnail">'
    ) in html.decode()
