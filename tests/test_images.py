"""Lead images: optional, with required alt text, checked on upload, shown with srcset."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, casestudy_admin_data, ready_links

ADD = "/admin/casestudies/casestudy/add/"


def image_file(name="photo.png", size=(1000, 600), image_format="PNG", colour=(20, 120, 80)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=image_format)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}[image_format]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def upload(client, file, alt="Volunteers packing food parcels", slug="with-image", **extra):
    return client.post(
        ADD,
        casestudy_admin_data(
            slug=slug,
            lead_image=file,
            lead_image_alt=alt,
            **{"workflow": "publish", **ready_links(), **extra},
        ),
    )


def errors(response):
    return response.context["adminform"].form.errors


@pytest.mark.django_db
def test_a_lead_image_shows_in_sizes_that_fit_the_layout(publisher_client, client, media_root):
    response = upload(publisher_client, image_file(size=(1600, 900)))
    assert response.status_code == 302, errors(response)
    case_study = CaseStudy.objects.get(slug="with-image")
    assert case_study.lead_image.name.startswith("case-studies/")
    assert (media_root / case_study.lead_image.name).exists()

    page = client.get("/case-studies/with-image/").text
    assert 'alt="Volunteers packing food parcels"' in page
    assert "srcset=" in page
    for width in ("480w", "800w", "1200w"):
        assert width in page
    assert 'width="800"' in page
    assert 'height="450"' in page
    assert "1600w" not in page  # the original is never sent


@pytest.mark.django_db
def test_renditions_are_made_when_the_image_is_uploaded(publisher_client, media_root):
    upload(publisher_client, image_file(name="wide.jpg", size=(1300, 700), image_format="JPEG"))
    made = [p.name for p in media_root.rglob("*") if p.is_file() and "wide" in p.name]
    assert len(made) == 4  # the original and three renditions


@pytest.mark.django_db
def test_a_small_image_is_never_enlarged(publisher_client, client):
    upload(publisher_client, image_file(size=(640, 480)))
    page = client.get("/case-studies/with-image/").text
    assert "480w" in page
    assert "640w" in page
    assert "800w" not in page
    assert "1200w" not in page


@pytest.mark.django_db
def test_the_image_is_optional(publisher_client, client):
    response = publisher_client.post(
        ADD, casestudy_admin_data(slug="no-image", workflow="publish", **ready_links())
    )
    assert response.status_code == 302
    assert "lead-image" not in client.get("/case-studies/no-image/").text


@pytest.mark.django_db
def test_an_image_needs_alt_text(publisher_client):
    response = upload(publisher_client, image_file(), alt="  ")
    assert response.status_code == 200
    assert errors(response)["lead_image_alt"] == [
        "Describe the image for people who cannot see it."
    ]
    assert not CaseStudy.objects.filter(slug="with-image").exists()


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(publisher_client):
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'not an image'; ?>", "image/jpeg")
    response = upload(publisher_client, fake)
    assert response.status_code == 200
    assert "lead_image" in errors(response)
    assert "image" in errors(response)["lead_image"][0]
    assert not CaseStudy.objects.filter(slug="with-image").exists()


@pytest.mark.django_db
def test_an_image_of_another_type_is_refused(publisher_client):
    response = upload(publisher_client, image_file(name="anim.gif", image_format="GIF"))
    assert errors(response)["lead_image"] == [
        "This is a GIF image; upload a JPEG, PNG or WebP image instead."
    ]


@pytest.mark.django_db
def test_an_image_renamed_to_another_extension_is_judged_by_its_content(publisher_client):
    gif_as_png = image_file(name="looks-fine.png", image_format="GIF")
    response = upload(publisher_client, gif_as_png)
    assert "GIF" in errors(response)["lead_image"][0]


@pytest.mark.django_db
def test_a_file_too_big_is_refused_with_its_size(publisher_client, settings):
    settings.LEAD_IMAGE_MAX_BYTES = 2000
    noisy = io.BytesIO()
    Image.effect_noise((200, 200), 80).convert("RGB").save(noisy, format="PNG")
    response = upload(publisher_client, SimpleUploadedFile("big.png", noisy.getvalue()))
    message = errors(response)["lead_image"][0]
    assert "the largest allowed is 2.0\xa0KB" in message


@pytest.mark.django_db
def test_an_image_too_narrow_is_refused(publisher_client):
    response = upload(publisher_client, image_file(size=(300, 200)))
    assert errors(response)["lead_image"] == [
        "The image is only 300 pixels wide; use one at least 600 pixels wide so that it looks "
        "sharp."
    ]


@pytest.mark.django_db
def test_a_lost_image_file_does_not_break_the_page(client, media_root):
    CaseStudyFactory(slug="lost", lead_image="case-studies/2024/gone.png", lead_image_alt="Gone")
    response = client.get("/case-studies/lost/")
    assert response.status_code == 200
    assert "gone.png" not in response.text


@pytest.mark.django_db
def test_a_bad_image_and_missing_alt_text_are_both_reported_on_the_first_save(publisher_client):
    response = upload(publisher_client, image_file(size=(300, 200)), alt="")
    assert set(errors(response)) >= {"lead_image", "lead_image_alt"}


@pytest.mark.django_db
def test_an_image_is_kept_across_a_save_that_fails_for_another_reason(publisher_client, media_root):
    response = upload(publisher_client, image_file(name="kept.png"), title="")
    assert "title" in errors(response)
    assert "lead_image" not in errors(response)
    token = response.context["adminform"].form["kept_lead_image"].value()
    assert token
    assert "Kept from your last try: kept.png." in response.text
    assert f'value="{token}"' in response.text

    # The second try sends no file (browsers never fill a file input in again).
    data = casestudy_admin_data(
        slug="with-image",
        lead_image_alt="Volunteers",
        kept_lead_image=token,
        workflow="publish",
        **ready_links(),
    )
    response = publisher_client.post(ADD, data)
    assert response.status_code == 302, errors(response)
    case_study = CaseStudy.objects.get(slug="with-image")
    assert case_study.lead_image.name.startswith("case-studies/")
    assert (media_root / case_study.lead_image.name).exists()
    assert not list((media_root / "kept-uploads").iterdir()), "the kept copy is deleted"


@pytest.mark.django_db
def test_a_forged_kept_image_token_is_ignored(publisher_client, media_root):
    data = casestudy_admin_data(slug="forged", kept_lead_image="case-studies/2024/other.png:x")
    response = publisher_client.post(ADD, data)
    assert response.status_code == 302
    assert not CaseStudy.objects.get(slug="forged").lead_image
