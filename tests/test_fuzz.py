"""Random damage to a valid site's YAML and front matter: every build ends with exit 0, or exit 1 and problems
that name their file (and line where there is one), and never with a traceback."""
from __future__ import annotations

import io
import random
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from conftest import write_site
from mlfolio.cli import main

SITE = {
    "mlfolio.yml": """
        title: Fuzzed
        url: https://ada.github.io/portfolio
        description: A site that will be damaged.
        posts_per_page: 3
        menu:
          - {title: Blog, url: /blog/}
          - title: CV
            url: /cv/
        github:
          user: ada
          featured: [tiny-gpt]
        fetch:
          offline: true
          timeout: 5
        extra:
          defaults: &d {language: en}
        theme_options:
          recent_posts: 2
    """,
    "profile.yml": """
        name: Ada Lovelace-Ng
        headline: ML engineer
        links:
          github: ada
          website: https://ada.dev
        skills:
          ML: [PyTorch, JAX]
        experience:
          - role: Engineer
            organisation: Lab
            start: 2021-03
            description: Built **things**.
        news:
          - date: 2024-05-01
            text: Joined [Lab](https://lab.example).
        projects:
          - title: Tiny GPT
            url: posts/2024-05-01-hello.md
            tags: [nlp]
            featured: true
    """,
    "posts/2024-05-01-hello.md": """
        ---
        title: Hello
        tags: [ml, nlp]
        summary: First post.
        updated: 2024-06-01
        extra:
          authors: [Ada]
        ---
        Body with $x^2$ and a [link](2024-06-01-two.md).
    """,
    "posts/2024-06-01-two.md": "---\ntitle: Two\ndraft: false\n---\n## A\n## B\n",
    "pages/cv.md": "---\ntitle: CV\nmenu: 3\n---\nText.\n",
}
TOKENS = ["&a ", "*a", "*nope", "!!python/object:os.system ", "!!binary ", "<<: *d", "<<: 5", "? ", ": ", "- ",
          "{", "}", "[", "]", "'", '"', "|", ">", "#", "%YAML 1.1\n", "---\n", "...\n", "\t", "\x00", "\ufeff",
          "~", "null", "true", "-1", ".inf", ".nan", "1e400", "0x1F", "2024-13-45", "日本語", "🔥", "javascript:x",
          "a" * 300, "\n  nested:\n    deeper: 1\n", "\n- list\n", "&b [*b]", "!!map {}", "=", "@", "`"]
FILES = ["mlfolio.yml", "profile.yml", "posts/2024-05-01-hello.md", "posts/2024-06-01-two.md", "pages/cv.md"]
LINE = re.compile(r"^(error|warning): (\S+?)(:\d+)?(:\d+)?: .+")


def mutate(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(7)
        i = rng.randrange(len(lines))
        if kind == 0:                                   # insert a token somewhere in a line
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + rng.choice(TOKENS) + lines[i][j:]
        elif kind == 1 and len(lines) > 1:              # drop a line
            del lines[i]
        elif kind == 2:                                 # duplicate a line (duplicate keys)
            lines.insert(i, lines[i])
        elif kind == 3:                                 # break indentation
            lines[i] = " " * rng.choice([1, 3, 7]) + lines[i].lstrip()
        elif kind == 4:                                 # empty a value
            lines[i] = lines[i].split(":", 1)[0] + ":" if ":" in lines[i] else lines[i]
        elif kind == 5:                                 # cut the file short
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: rng.randrange(len(lines[-1]) + 1)]
        else:                                           # swap two lines
            k = rng.randrange(len(lines))
            lines[i], lines[k] = lines[k], lines[i]
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(6))
def test_random_damage_gives_exit_0_or_1_with_positions_never_a_traceback(tmp_path, seed):
    rng = random.Random(seed)
    base = write_site(tmp_path / "base", SITE)
    for case in range(40):
        site = tmp_path / f"s{case}"
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(base, site)
        for rel in rng.sample(FILES, rng.randint(1, 2)):
            path = site / rel
            path.write_text(mutate(rng, path.read_text("utf-8")), "utf-8", errors="surrogatepass")
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["build", str(site), "--offline", "-q"])   # an exception here fails the test
        label = f"seed {seed} case {case}"
        assert code in (0, 1), label
        problems = [line for line in err.getvalue().splitlines() if line.startswith(("error:", "warning:"))]
        assert all(LINE.match(p) for p in problems), (label, problems)
        if code == 1:
            assert any(p.startswith("error:") for p in problems), (label, err.getvalue())
        shutil.rmtree(site)
