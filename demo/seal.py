"""Demo step: each demo issuing body gets a seal image (a red round seal drawn here with Pillow, marked as an
illustration), uploaded through the same service and checks as an administrator's upload. Real bodies upload
a scan of their seal; the drawn seal of the PDF appearance stays the fallback for a body without one.
"""
from __future__ import annotations

import datetime as dt
import io
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageDraw, ImageFont

from demo.certificates import DEMO_SEALS
from reports.signing.models import SealImage
from reports.signing.services import seal_image_add
from units.models import IssuingBody

SIZE = 600  # px; the appearance prints it about 3.5 cm wide
RED = (205, 0, 0, 255)
FONT = settings.BASE_DIR / "static" / "fonts" / "liberation-serif" / "LiberationSerif-Bold.ttf"
SINCE = dt.date(2020, 1, 1)  # before every demo document, so the 2023 ones carry it too


def demo_seal_png(body_name: str) -> bytes:
    """A round red seal: two rings, the body's name in capitals around the top, a star in the centre."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = SIZE / 2
    draw.ellipse([10, 10, SIZE - 10, SIZE - 10], outline=RED, width=16)
    draw.ellipse([92, 92, SIZE - 92, SIZE - 92], outline=RED, width=6)
    text = body_name.upper()
    font = ImageFont.truetype(str(FONT), 42)
    radius = (centre - 26 + centre - 92) / 2
    span = min(330.0, 10.5 * len(text))
    for index, char in enumerate(text):
        angle = -90 - span / 2 + span * (index + 0.5) / len(text)  # degrees, 0 at three o'clock, clockwise
        glyph = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((32, 32), char, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)  # the letter's top faces out
        x = centre + radius * math.cos(math.radians(angle))
        y = centre + radius * math.sin(math.radians(angle))
        image.alpha_composite(glyph, (round(x - 32), round(y - 32)))
    star = []
    for point in range(10):
        length = 92 if point % 2 == 0 else 37
        angle = math.radians(-90 + 36 * point)
        star.append((centre + length * math.cos(angle), centre + length * math.sin(angle)))
    draw.polygon(star, fill=RED)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seed_seal_images(stdout=None) -> None:
    """Upload a demo seal for each demo body that has none (idempotent)."""
    added = 0
    for body in IssuingBody.objects.filter(code__in=DEMO_SEALS).order_by("code"):
        if SealImage.objects.filter(issuing_body=body).exists():
            continue
        try:
            seal_image_add(issuing_body=body, valid_from=max(SINCE, body.valid_from), data=demo_seal_png(body.name),
                           note="Ảnh dấu minh họa (DEMO – không có giá trị pháp lý).")
        except ValidationError as exc:  # e.g. the body already issued documents on a database seeded before
            if stdout is not None:
                stdout.write(f"  ảnh dấu {body.code}: bỏ qua ({'; '.join(exc.messages)})")
            continue
        added += 1
    if stdout is not None:
        stdout.write(f"  ảnh dấu demo: {added} cơ quan")
