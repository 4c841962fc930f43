"""CSS colour parsing and WCAG contrast, as theme options use them."""
from __future__ import annotations

import pytest

from mlfolio.colors import contrast, parse_color


@pytest.mark.parametrize("text, rgb", [
    ("#fff", (1, 1, 1)), ("#4F46E5", (79 / 255, 70 / 255, 229 / 255)), ("#0f766e80", (15 / 255, 118 / 255, 110 / 255)),
    ("rgb(255, 0, 0)", (1, 0, 0)), ("rgb(100% 0% 0% / 50%)", (1, 0, 0)), ("rgba(0,0,255,.5)", (0, 0, 1)),
    ("hsl(120 100% 25%)", (0, 0.5, 0)), ("hsla(240deg, 100%, 50%, 1)", (0, 0, 1)), ("Teal", (0, 128 / 255, 128 / 255)),
    ("rebeccapurple", (0x66 / 255, 0x33 / 255, 0x99 / 255)),
])
def test_parses_the_forms_people_write(text, rgb):
    assert parse_color(text) == pytest.approx(rgb, abs=1e-3)


@pytest.mark.parametrize("text", ["", "blu", "#12", "#ggg", "rgb(1,2)", "rgb(1,2,3,4,5)", "url(x)", "red;}body{x:y",
                                  "rgb(1,2,3) </style>", "var(--x)", "hsl(a b c)"])
def test_rejects_what_is_not_a_colour(text):
    assert parse_color(text) is None


def test_contrast_matches_wcag_examples():
    assert contrast(parse_color("#000"), parse_color("#fff")) == pytest.approx(21)
    assert contrast(parse_color("#777"), parse_color("#fff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(parse_color("#4f46e5"), parse_color("#fff")) > 4.5
