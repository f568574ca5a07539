"""Lead illustrations the site draws itself from a comparison's own table.

An illustration shows nothing but the rows it is given, so its alt text can say exactly what
is in it; its credit is the site's own ("Illustration: <site name>").
"""

import io
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
PAPER, INK, MUTED, RULE = "#f7f5f0", "#1f2328", "#5b5f66", "#d8d4ca"
FIRST_COLOUR, SECOND_COLOUR = "#1d4e89", "#8a2b0e"
MARGIN, GUTTER = 56, 40


@dataclass(frozen=True)
class Illustration:
    png: bytes
    alt: str


def illustration_credit():
    """Return the credit line of an illustration the site made."""
    return f"Illustration: {settings.SITE_NAME}"


def describe_table_illustration(first, second, aspects):
    """Return the alt text of `table_illustration` for these subjects and row aspects."""
    listed = " and ".join([", ".join(aspects[:-1]), aspects[-1]] if len(aspects) > 1 else aspects)
    return (
        f"Diagram of {first} vs {second}: the rows {listed} of the table below, "
        f"with {first}'s answer on the left and {second}'s on the right."
    )


def _wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _fitting_font(draw, text, width, size, smallest=20):
    while size > smallest:
        font = ImageFont.load_default(size=size)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 2
    return ImageFont.load_default(size=smallest)


def _row_layout(draw, rows, column, size):
    font = ImageFont.load_default(size=size)
    wrapped = [
        [_wrap(draw, value, font, column - 24) for value in (one, two)] for _, one, two in rows
    ]
    line_height = int(size * 1.25)
    heights = [44 + max(len(lines) for lines in pair) * line_height + 18 for pair in wrapped]
    return font, wrapped, line_height, heights


def table_illustration(first, second, rows):
    """Draw `rows` ((aspect, first value, second value), at most 3) as a two-column diagram:
    every word of every value is shown, the text shrinking until it fits.

    Return the PNG (WIDTH x HEIGHT) and its alt text.
    """
    rows = list(rows)[:3]
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    column = (WIDTH - 2 * MARGIN - GUTTER) // 2
    lefts = (MARGIN, MARGIN + column + GUTTER)
    colours = (FIRST_COLOUR, SECOND_COLOUR)
    y = 44
    for left, name, colour in zip(lefts, (first, second), colours, strict=True):
        draw.rounded_rectangle([left, y, left + column, y + 76], radius=12, fill=colour)
        font = _fitting_font(draw, name, column - 40, 40)
        draw.text((left + 22, y + 38), name, fill="white", font=font, anchor="lm")
    y += 100
    size = 30
    font, wrapped, line_height, heights = _row_layout(draw, rows, column, size)
    while sum(heights) > HEIGHT - y - 20 and size > 14:
        size -= 2
        font, wrapped, line_height, heights = _row_layout(draw, rows, column, size)
    label_font = ImageFont.load_default(size=22)
    for (aspect, _, _), pair, height in zip(rows, wrapped, heights, strict=True):
        draw.line([MARGIN, y, WIDTH - MARGIN, y], fill=RULE, width=2)
        draw.text((MARGIN, y + 10), aspect.upper(), fill=MUTED, font=label_font)
        for left, lines, colour in zip(lefts, pair, colours, strict=True):
            draw.rectangle([left, y + 44, left + 6, y + height - 16], fill=colour)
            for index, line in enumerate(lines):
                draw.text((left + 20, y + 42 + index * line_height), line, fill=INK, font=font)
        y += height
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    aspects = [aspect for aspect, _, _ in rows]
    return Illustration(buffer.getvalue(), describe_table_illustration(first, second, aspects))
