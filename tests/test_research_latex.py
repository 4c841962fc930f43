"""LaTeX in BibTeX fields → Unicode text and → Markdown for the math renderer."""
from __future__ import annotations

import pytest

from mlfolio.research.latex import has_markup, math_text, month_number, to_markdown, to_text


@pytest.mark.parametrize("latex, text", [
    (r'M{\"u}ller', "Müller"),
    (r"\'{e}t\'e", "été"),
    (r"{\'E}mile Fran\c{c}ois", "Émile François"),
    (r"\v{S}koda and \v Cech", "Škoda and Čech"),
    (r"Nguy\~{\^e}n Th\d{i}", "Nguyễn Thị"),
    (r"Erd\H{o}s", "Erdős"),
    (r"\r{A}ngstr\"{o}m", "Ångström"),
    (r"{\ss}tra{\ss}e \o{} {\aa} {\AE} \l", "ßtraße ø å Æ ł"),
    (r"\aa \AE", "åÆ"),                                  # TeX drops the space after a command word
    (r"na\"{\i}ve", "naïve"),
    (r"pp. 1--12 --- or 3---4", "pp. 1–12 — or 3—4"),
    (r"``Wide'' networks", "“Wide” networks"),
    (r"{BERT} and {{GPT}}-2", "BERT and GPT-2"),
    (r"Kernels {\&} Margins, 95\% \$5 \#1 a\_b", "Kernels & Margins, 95% $5 #1 a_b"),
    (r"\emph{Not} \textbf{all} \textsc{you} \texttt{need}", "Not all you need"),
    (r"{\em Not} All", "Not All"),
    (r"$\mathcal{O}(n \log n)$ memory", "O(n log n) memory"),
    (r"$\alpha$-divergence", "α-divergence"),
    (r"Dr.~Who", "Dr.\u00a0Who"),
    (r"\url{https://x.org/a_b}", "https://x.org/a_b"),
    (r"\href{https://x.org}{the site}", "the site"),
    (r"\noopsort{a}Zeta", "Zeta"),
    (r"\unknowncommand{kept}", "kept"),
    ("plain title", "plain title"),
])
def test_to_text(latex, text):
    assert to_text(latex) == text


@pytest.mark.parametrize("odd", ["{", "}", "\\", "$", "{\\", "\\'", "$$", "\\href{", "\\url{x", "{{{}", "\\~{"])
def test_odd_input_never_raises(odd):
    assert isinstance(to_text(odd), str)
    assert isinstance(to_markdown(odd), str)


def test_markdown_escapes_every_punctuation_outside_math():
    md = to_markdown(r"<script>alert(1)</script> *bold* [x](javascript:y) $x^2$ \emph{Not}")
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\*bold\\*" in md and "\\[x\\]" in md
    assert "$x^2$" in md                              # left for the math renderer
    assert "<em>Not</em>" in md


def test_has_markup():
    assert has_markup(r"$O(n)$ memory") and has_markup(r"\emph{x}")
    assert not has_markup(r"costs \$5") and not has_markup("plain")


def test_month_number_and_math_text():
    assert [month_number(m) for m in ("may", "May", "5", "Sep.", "september", "13", "spring")] == \
        [5, 5, 5, 9, 9, None, None]
    assert math_text(r"\mathcal{O}(n^2) \leq \epsilon") == "O(n^2) ≤ ε"
