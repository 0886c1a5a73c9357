"""The demo's seal images: drawn for each demo body, they pass the same checks as an administrator's upload,
and the demo's documents are issued with them."""
from __future__ import annotations

import datetime as dt

import pytest

from demo.certificates import DEMO_SEALS
from demo.seal import SINCE, demo_seal_png, seed_seal_images
from reports.signing.models import SealImage
from reports.signing.sealimage import seal_png_check
from reports.signing.selectors import seal_image_on
from units.models import IssuingBody

pytestmark = pytest.mark.django_db


def test_the_drawn_demo_seal_is_a_transparent_red_png_the_checks_accept():
    checked = seal_png_check(demo_seal_png("Ban Tuyên giáo Huyện ủy Tam Đường"))
    assert (checked.width, checked.height) == (600, 600)


def test_every_demo_body_gets_its_seal_once_and_the_2023_documents_use_it(demo):
    seed_seal_images()
    seed_seal_images()  # idempotent
    bodies = IssuingBody.objects.filter(code__in=DEMO_SEALS)
    assert bodies.count() == len(DEMO_SEALS)
    for body in bodies:
        [seal] = SealImage.objects.filter(issuing_body=body)
        assert seal.valid_from == max(SINCE, body.valid_from) and "DEMO" in seal.note
    tam_duong = bodies.get(code="tam-duong-btg")
    assert seal_image_on(issuing_body=tam_duong, on=dt.date(2023, 10, 30)) is not None  # seed 004's date
