"""Terminal text to HTML: IPython tracebacks, 256-colour and RGB codes, progress bars, hostile text."""
from mlfolio.ansi import nearest16, settle, to_html

# What IPython 8 stores in a notebook's error output (traceback lines with SGR codes)
TRACEBACK = [
    "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
    "\x1b[0;31mZeroDivisionError\x1b[0m                         Traceback (most recent call last)",
    "Cell \x1b[0;32mIn[3], line 2\x1b[0m\n\x1b[1;32m      1\x1b[0m x \x1b[38;5;241m=\x1b[39m \x1b[38;5;241m1\x1b[39m\n"
    "\x1b[0;32m----> 2\x1b[0m \x1b[43mx\x1b[49m\x1b[43m \x1b[49m\x1b[38;5;241;43m/\x1b[39;49m\x1b[43m \x1b[49m\x1b[38;5;241;43m0\x1b[39;49m",
    "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero <script>alert(1)</script>",
]


def test_ipython_traceback_becomes_classed_spans_with_text_escaped():
    html = to_html("\n".join(TRACEBACK))
    assert '<span class="ansi-red">ZeroDivisionError</span>' in html
    assert '<span class="ansi-green">----&gt; 2</span>' in html
    assert '<span class="ansi-bright-black ansi-bg-yellow">/</span>' in html      # 256-colour 241 → grey
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\x1b" not in html


def test_styles_reset_and_reverse():
    html = to_html("\x1b[1;3;4mbold\x1b[22m still italic\x1b[0m plain \x1b[7mrev\x1b[27m")
    assert '<span class="ansi-bold ansi-italic ansi-underline">bold</span>' in html
    assert '<span class="ansi-italic ansi-underline"> still italic</span> plain ' in html
    assert '<span class="ansi-inverse ansi-bg-inverse">rev</span>' in html


def test_rgb_and_bright_colours_take_the_nearest_of_sixteen():
    assert nearest16(250, 10, 10) == 9
    assert 'class="ansi-bright-red"' in to_html("\x1b[38;2;250;10;10mx")
    assert 'class="ansi-bg-bright-blue"' in to_html("\x1b[104mx")
    assert 'class="ansi-blue"' in to_html("\x1b[38:5:4mx")           # colon form


def test_other_escapes_and_control_characters_are_dropped():
    text = "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x1b[2K\x1b[1Gdone\x07\x00"
    assert to_html(text) == "link done"
    assert to_html("a \x1b") == "a "
    assert to_html("\x1b[999;38;5;300mx") == "x"                      # nonsense codes do not crash


def test_settle_keeps_what_a_terminal_shows():
    bar = "".join(f"\r{i:3d}%|{'#' * (i // 10):<10}|" for i in range(0, 101, 5))
    assert settle(bar + "\nok") == "100%|##########|\nok"
    assert settle("abc\b\bX") == "aX"
    assert settle("long line\rshort") == "shortline"
    assert settle("a\r\nb") == "a\nb"
