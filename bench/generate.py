#!/usr/bin/env python3
"""Generates a deterministic benchmark corpus of N realistic ML blog posts, three times over:

    OUTDIR/           an mlfolio site: mlfolio.yml, profile.yml, posts/YYYY-MM-DD-slug.md
    OUTDIR/hugo/      the same posts as a Hugo site: hugo.toml, content/posts/, minimal layouts
    OUTDIR/pelican/   the same posts as a Pelican site: pelicanconf.py, content/

Every post has front matter (title, date, tags, summary), 5-8 headings, 600-1000 words of prose,
2-3 fenced code blocks (Python, Bash), inline and display math, a table and two links to other
posts. mlfolio gets relative `.md` links; Hugo gets `/posts/<slug>/` URLs; Pelican gets its own
`{filename}` links. The same seed and N always give byte-identical files.

Usage: python bench/generate.py N OUTDIR [--seed 42]
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Vocabulary. Sentences are assembled from these so the prose has realistic word and line
# lengths, punctuation, inline markup and technical terms (what a Markdown parser sees).
# ---------------------------------------------------------------------------------------------

TOPICS = [
    ("gradient boosting", "tabular data"), ("transformers", "language models"),
    ("LoRA adapters", "fine-tuning"), ("temperature scaling", "calibration"),
    ("cross-validation", "evaluation"), ("contrastive learning", "embeddings"),
    ("HNSW indexes", "vector search"), ("diffusion models", "generative models"),
    ("data versioning", "mlops"), ("feature stores", "mlops"), ("quantisation", "inference"),
    ("mixed precision", "training"), ("learning-rate schedules", "training"),
    ("target encoding", "feature engineering"), ("time-series splits", "forecasting"),
    ("Bayesian optimisation", "hyperparameters"), ("knowledge distillation", "compression"),
    ("retrieval-augmented generation", "retrieval"), ("active learning", "labelling"),
    ("conformal prediction", "uncertainty"), ("graph neural networks", "graphs"),
    ("speech recognition", "audio"), ("object detection", "computer vision"),
    ("drift detection", "monitoring"),
]

TAGS = sorted({t for pair in TOPICS for t in pair[1:]} | {
    "pytorch", "jax", "scikit-learn", "lightgbm", "kaggle", "python", "rust", "gpu", "benchmarks",
    "reproducibility", "statistics", "nlp", "deployment", "data quality", "research notes",
})

TITLE_PATTERNS = [
    "What I learned about {a}", "{A} in practice", "A practical guide to {a}",
    "{A}: the parts nobody tells you", "Debugging {a} on real data", "Notes on {a}",
    "Why {a} failed me, and how I fixed it", "{A} for small teams", "Revisiting {a}",
    "Benchmarking {a} on a laptop", "{A} without the hype", "A field guide to {a}",
]

SUBJECTS = [
    "the validation loss", "our baseline", "the training pipeline", "a held-out test set",
    "the learning rate", "the tokenizer", "the feature pipeline", "the evaluation harness",
    "each cross-validation fold", "the embedding model", "the gradient norm", "the batch size",
    "the calibration curve", "the leaderboard score", "our data loader", "the retrieval index",
    "the optimiser state", "a small ablation", "the error analysis", "the production model",
]
VERBS = [
    "improved", "degraded", "stabilised", "dominated", "explained", "hid", "revealed", "shifted",
    "doubled", "halved", "tracked", "contradicted", "confirmed", "masked", "amplified",
]
OBJECTS = [
    "the effect of label noise", "most of the variance", "a subtle leak from the future",
    "the gap between train and test", "the long tail of rare classes", "our confidence intervals",
    "the cost of a single experiment", "the benefit of more data", "the rank of the update",
    "the memory footprint", "the latency budget", "the number of distinct users",
    "the seasonal pattern", "the duplicate rows", "the effective sample size",
]
QUALIFIERS = [
    "after the third epoch", "on every seed we tried", "once we fixed the split",
    "when the batch size grew", "on the private leaderboard", "in the first week of deployment",
    "for the smallest model", "with early stopping enabled", "under dataset shift",
    "at inference time", "in the ablation table", "with mixed precision", "on a single GPU",
]
OPENERS = [
    "In practice,", "Surprisingly,", "As expected,", "On closer inspection,", "In hindsight,",
    "More importantly,", "At first,", "By contrast,", "For this reason,", "To be fair,",
    "In our experiments,", "Unsurprisingly,", "Crucially,", "Even so,",
]
ASIDES = [
    "which is easy to miss in a dashboard", "a classic mistake", "and it cost us a week",
    "as the table below shows", "although the effect was small", "which nobody expected",
    "exactly as the paper predicts", "at least on this dataset", "which is worth repeating",
]
INLINE_MATH = [
    r"\alpha = 0.1", r"\eta_t = \eta_0 / \sqrt{t}", r"\mathbb{E}[\hat{y}] = y", r"p(y \mid x)",
    r"\sigma / \sqrt{n}", r"\lambda \|w\|_2^2", r"k \in \{1, 5, 10\}", r"d_k = 64",
    r"\log |V|", r"\hat{\theta}", r"r \ll d", r"O(n \log n)", r"x_i \in \mathbb{R}^d",
    r"\beta_1 = 0.9", r"T > 1", r"\epsilon = 10^{-8}",
]
DISPLAY_MATH = [
    r"\mathcal{L}(\theta) = -\frac{1}{N} \sum_{i=1}^{N} \log p_\theta(y_i \mid x_i)",
    r"\mathrm{ECE} = \sum_{m=1}^{M} \frac{|B_m|}{n} \left| \mathrm{acc}(B_m) - \mathrm{conf}(B_m) \right|",
    r"W = W_0 + \frac{\alpha}{r} B A, \qquad B \in \mathbb{R}^{d \times r}",
    r"\mathrm{softmax}(z)_i = \frac{\exp(z_i / T)}{\sum_{j=1}^{K} \exp(z_j / T)}",
    r"\hat{\mu}_c = \frac{\sum_{i : x_i = c} y_i + m \bar{y}}{n_c + m}",
    r"\theta_{t+1} = \theta_t - \eta \frac{\hat{m}_t}{\sqrt{\hat{v}_t} + \epsilon}",
    r"\mathrm{recall@}k = \frac{1}{m} \sum_{j=1}^{m} \frac{|\hat{S}_j \cap S_j|}{k}",
    r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{Q K^\top}{\sqrt{d_k}}\right) V",
]
HEADINGS = [
    "Background", "The setup", "A first baseline", "What went wrong", "Measuring it properly",
    "The fix", "Results", "Ablations", "Costs", "What I would do differently", "Related work",
    "Implementation notes", "Error analysis", "Scaling up", "Open questions", "Takeaways",
    "Data preparation", "Training details", "Evaluation protocol", "Deployment",
]
INLINE_CODE = ["train.py", "eval()", "torch.compile", "n_estimators", "GroupKFold", "--seed",
               "bf16", "max_seq_len", "dvc repro", "np.argpartition", "fit_transform", "pyproject.toml"]

PY_SNIPPETS = [
    '''import numpy as np
from sklearn.model_selection import {splitter}


def cross_validate(model, X, y, n_splits: int = {k}, seed: int = {seed}) -> np.ndarray:
    """Returns one score per fold; the caller reports the mean and an interval."""
    scores = []
    for train_idx, test_idx in {splitter}(n_splits=n_splits).split(X, y):
        model.fit(X[train_idx], y[train_idx])
        scores.append(model.score(X[test_idx], y[test_idx]))
    return np.asarray(scores)
''',
    '''import torch
import torch.nn.functional as F


def train_step(model, batch, optimizer, scaler, clip: float = {clip}):
    model.train()
    with torch.autocast("cuda", dtype=torch.bfloat16):
        logits = model(batch["input_ids"])
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), batch["labels"].view(-1))
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad(set_to_none=True)
    return loss.item()
''',
    '''from dataclasses import dataclass


@dataclass
class Config:
    learning_rate: float = {lr}
    batch_size: int = {bs}
    epochs: int = {k}
    warmup_steps: int = {warmup}
    weight_decay: float = 0.01
    seed: int = {seed}

    def scaled_lr(self, world_size: int) -> float:
        # linear scaling rule for data-parallel training
        return self.learning_rate * world_size * self.batch_size / 256
''',
    '''import numpy as np


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, bins: int = {k}) -> float:
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == labels
    edges = np.quantile(conf, np.linspace(0, 1, bins + 1))
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - conf[mask].mean())
    return float(ece)
''',
    '''import polars as pl

features = (
    pl.scan_parquet("data/events/*.parquet")
    .filter(pl.col("timestamp") < pl.datetime({year}, 1, 1))
    .group_by("user_id")
    .agg(
        pl.len().alias("n_events"),
        pl.col("amount").mean().alias("mean_amount"),
        pl.col("amount").quantile(0.9).alias("p90_amount"),
    )
    .collect()
)
print(features.describe())
''',
]
BASH_SNIPPETS = [
    '''python train.py \\
  --config configs/{name}.yml \\
  --seed {seed} --epochs {k} \\
  --lr {lr} --batch-size {bs} \\
  --out runs/{name}-{seed}''',
    '''# reproduce the numbers in this post
git clone https://github.com/example/{name}.git && cd {name}
pip install -e ".[dev]"
dvc pull
dvc repro evaluate
cat reports/metrics.json''',
    '''for seed in 1 2 3 4 5; do
  python -m {name}.evaluate --seed "$seed" --folds {k} >> results.jsonl
done
jq -s 'map(.score) | add / length' results.jsonl''',
    '''nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv -l 5 > gpu.log &
torchrun --nproc-per-node 2 train.py --config configs/{name}.yml
kill %1''',
]


def slugify(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(part for part in out.split("-") if part)


@dataclass
class Post:
    index: int
    title: str
    date: dt.date
    tags: list[str]
    summary: str
    slug: str
    body: str = ""                      # Markdown with links written as LINK<index>|text|END
    links: list[int] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.date.isoformat()}-{self.slug}.md"


class Writer:
    """One post's prose, from a seeded RNG."""

    def __init__(self, rng: random.Random, topic: str, area: str):
        self.rng, self.topic, self.area = rng, topic, area

    def sentence(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.35:
            s = f"{r.choice(OPENERS)} {r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(QUALIFIERS)}."
        elif kind < 0.55:
            s = (f"{r.choice(SUBJECTS).capitalize()} {r.choice(VERBS)} {r.choice(OBJECTS)}, "
                 f"{r.choice(ASIDES)}.")
        elif kind < 0.70:
            s = (f"With {self.topic}, {r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} "
                 f"{r.choice(QUALIFIERS)}, so we kept `{r.choice(INLINE_CODE)}` fixed.")
        elif kind < 0.82:
            s = (f"The {r.choice(['key', 'main', 'only', 'surprising'])} point is that "
                 f"{r.choice(SUBJECTS)} {r.choice(VERBS)} **{r.choice(OBJECTS)}** {r.choice(QUALIFIERS)}.")
        elif kind < 0.92:
            s = (f"We set ${r.choice(INLINE_MATH)}$ and {r.choice(SUBJECTS)} {r.choice(VERBS)} "
                 f"*{r.choice(OBJECTS)}*.")
        else:
            s = (f"For {self.area} work, {r.choice(SUBJECTS)} usually {r.choice(VERBS)} "
                 f"{r.choice(OBJECTS)} — {r.choice(ASIDES)}.")
        return s

    def paragraph(self, n_min: int = 3, n_max: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(n_min, n_max)))

    def table(self) -> str:
        r = self.rng
        cols = r.choice([["Model", "Params", "Accuracy", "ECE"], ["Setting", "Value", "Note"],
                         ["Split", "Rows", "MAE", "RMSE", "Time (s)"]])
        lines = ["| " + " | ".join(cols) + " |",
                 "|" + "|".join(["---"] + ["---:"] * (len(cols) - 1)) + "|"]
        for i in range(r.randint(3, 6)):
            cells = [f"{r.choice(['baseline', 'tuned', 'small', 'large', 'ours', 'ablation'])} {i + 1}"]
            cells += [f"{r.uniform(0, 100):.2f}" for _ in cols[1:]]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def code(self, lang: str) -> str:
        r = self.rng
        fill = dict(splitter=r.choice(["KFold", "GroupKFold", "TimeSeriesSplit", "StratifiedKFold"]),
                    k=r.randint(3, 10), seed=r.randint(0, 9999), clip=r.choice([0.5, 1.0, 2.0]),
                    lr=r.choice(["3e-4", "1e-3", "6e-4", "2e-5"]), bs=r.choice([16, 32, 64, 128]),
                    warmup=r.choice([100, 200, 500, 1000]), year=r.randint(2019, 2026),
                    name=slugify(self.topic))
        src = r.choice(PY_SNIPPETS if lang == "python" else BASH_SNIPPETS).format(**fill)
        return f"```{lang}\n{src.rstrip()}\n```"


def make_posts(n: int, seed: int) -> list[Post]:
    master = random.Random(seed)
    start, end = dt.date(2019, 1, 1), dt.date(2026, 6, 30)
    span = (end - start).days
    posts = []
    for i in range(n):
        rng = random.Random(master.getrandbits(64))
        topic, area = rng.choice(TOPICS)
        title = rng.choice(TITLE_PATTERNS).format(a=topic, A=topic[0].upper() + topic[1:])
        date = start + dt.timedelta(days=(span * i) // max(n, 1))
        tags = sorted({area} | set(rng.sample(TAGS, rng.randint(1, 3))))
        summary = (f"How {topic} behaved in a real {area} project: the setup, the numbers, and what "
                   f"I would change next time.")
        slug = f"{slugify(title)}-{i + 1:04d}"
        post = Post(i, title, date, tags, summary, slug)
        post.body = _body(rng, topic, area, i, n, post)
        posts.append(post)
    return posts


def _body(rng: random.Random, topic: str, area: str, i: int, n: int, post: Post) -> str:
    w = Writer(rng, topic, area)
    heads = rng.sample(HEADINGS, rng.randint(5, 8))
    levels = [2] + [rng.choice([2, 2, 3]) for _ in heads[1:]]
    blocks: list[list[str]] = [[w.paragraph(3, 5)]]          # intro before the first heading
    for head, level in zip(heads, levels):
        blocks.append([f"{'#' * level} {head}", w.paragraph()])
    # 2-3 code blocks, one display equation (sometimes two), one table, a list, two links
    sections = list(range(1, len(blocks)))
    for lang in ["python", "bash"] + [rng.choice(["python", "bash"])] * rng.randint(0, 1):
        blocks[rng.choice(sections)].append(w.code(lang))
    for _ in range(rng.randint(1, 2)):
        blocks[rng.choice(sections)].append(f"$$\n{rng.choice(DISPLAY_MATH)}\n$$")
    blocks[rng.choice(sections)].append(w.table())
    blocks[rng.choice(sections)].append("\n".join(f"- {w.sentence()}" for _ in range(rng.randint(3, 5))))
    if n > 1:
        targets = rng.sample([j for j in range(n) if j != i] if n < 50 else
                             list({rng.randrange(n) for _ in range(6)} - {i}), 2 if n > 2 else 1)
        post.links = targets
        for j in targets:
            blocks[rng.choice(sections)].append(
                f"This builds on LINK{j}|my earlier post on the same problem|END, "
                f"which covers {rng.choice(OBJECTS)} in more detail.")
    # pad every post to 600-1000 words of prose
    target = rng.randint(600, 1000)
    text = _join(blocks)
    while _prose_words(text) < target:
        blocks[rng.choice(sections)].append(w.paragraph())
        text = _join(blocks)
    blocks[-1].append(w.paragraph(2, 3))
    return _join(blocks)


def _join(blocks: list[list[str]]) -> str:
    return "\n\n".join("\n\n".join(b) for b in blocks) + "\n"


def _prose_words(text: str) -> int:
    inside, words = False, 0
    for line in text.splitlines():
        if line.startswith("```") or line.startswith("$$"):
            inside = not inside
        elif not inside and not line.startswith("|"):
            words += len(line.split())
    return words


def _links(body: str, form) -> str:
    out, pos = [], 0
    while (start := body.find("LINK", pos)) != -1:
        bar = body.index("|", start)
        end = body.index("|END", bar + 1)
        out.append(body[pos:start])
        out.append(f"[{body[bar + 1:end]}]({form(int(body[start + 4:bar]))})")
        pos = end + 4
    out.append(body[pos:])
    return "".join(out)


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------------------------
# The three sites
# ---------------------------------------------------------------------------------------------

def write_mlfolio(posts: list[Post], root: Path) -> None:
    (root / "posts").mkdir(parents=True, exist_ok=True)
    (root / "mlfolio.yml").write_text(
        "title: Benchmark Portfolio\n"
        "url: https://bench.example.org\n"
        "description: A generated corpus for timing mlfolio against Hugo and Pelican.\n"
        "language: en\n"
        "posts_per_page: 10\n", encoding="utf-8")
    (root / "profile.yml").write_text(
        "name: Bench Marker\n"
        "headline: A generated person who writes a great many posts\n"
        "location: Nowhere\n"
        "bio: |\n  This site is generated by `bench/generate.py`; every word is synthetic.\n"
        "links:\n  github: bench-marker\n"
        "skills:\n  Tools: [Python, PyTorch]\n", encoding="utf-8")
    for p in posts:
        body = _links(p.body, lambda j: posts[j].filename)
        front = (f"---\ntitle: {_quote(p.title)}\ndate: {p.date.isoformat()}\ntags: {_yaml_list(p.tags)}\n"
                 f"summary: {_quote(p.summary)}\n---\n\n")
        (root / "posts" / p.filename).write_text(front + body, encoding="utf-8")


HUGO_CONFIG = """\
baseURL = "https://bench.example.org/"
languageCode = "en"
title = "Benchmark Portfolio"
paginate = 10
enableRobotsTXT = true

[taxonomies]
  tag = "tags"

[markup]
  [markup.highlight]
    codeFences = true
    noClasses = false
    guessSyntax = false
    style = "friendly"
  [markup.tableOfContents]
    startLevel = 2
    endLevel = 3
    ordered = false
  [markup.goldmark.extensions]
    footnote = true
    strikethrough = true
    table = true
    taskList = true
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!doctype html>
<html lang="{{ .Site.LanguageCode }}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} · {{ .Site.Title }}{{ end }}</title>
  <meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Summary | plainify | truncate 160 }}{{ end }}">
  <link rel="canonical" href="{{ .Permalink }}">
  <meta property="og:title" content="{{ .Title }}">
  <meta property="og:url" content="{{ .Permalink }}">
  {{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
  <header><nav><a href="{{ "/" | relURL }}">Home</a> <a href="{{ "/posts/" | relURL }}">Blog</a> <a href="{{ "/tags/" | relURL }}">Tags</a></nav></header>
  <main>{{ block "main" . }}{{ end }}</main>
  <footer>{{ .Site.Title }}</footer>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}
<article>
  <h1>{{ .Title }}</h1>
  <p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "Jan 2, 2006" }}</time> · {{ .ReadingTime }} min read</p>
  <ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
  <nav aria-label="On this page">{{ .TableOfContents }}</nav>
  {{ .Content }}
  <nav>
    {{ with .PrevInSection }}<a href="{{ .RelPermalink }}">← {{ .Title }}</a>{{ end }}
    {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }} →</a>{{ end }}
  </nav>
</article>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $paginator := .Paginate .Pages }}
{{ range $paginator.Pages }}
<article>
  <h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  {{ if .Date }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "Jan 2, 2006" }}</time>{{ end }}
  <p>{{ .Summary }}</p>
</article>
{{ end }}
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "index.html": """\
{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<h2>Recent posts</h2>
<ul>
{{ range first 5 (where .Site.RegularPages "Section" "posts") }}
  <li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "Jan 2, 2006" }}</time></li>
{{ end }}
</ul>
{{ end }}
""",
    "404.html": """\
{{ define "main" }}<h1>Page not found</h1><p><a href="{{ "/" | relURL }}">Home</a></p>{{ end }}
""",
}


def write_hugo(posts: list[Post], root: Path) -> None:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (root / "content" / "posts" / "_index.md").write_text("---\ntitle: Blog\n---\n", encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        path = root / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for p in posts:
        body = _links(p.body, lambda j: f"/posts/{posts[j].slug}/")
        front = (f"---\ntitle: {_quote(p.title)}\ndate: {p.date.isoformat()}\ntags: {_yaml_list(p.tags)}\n"
                 f"summary: {_quote(p.summary)}\nslug: {p.slug}\n---\n\n")
        (root / "content" / "posts" / f"{p.slug}.md").write_text(front + body, encoding="utf-8")


PELICAN_CONFIG = """\
AUTHOR = "Bench Marker"
SITENAME = "Benchmark Portfolio"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%b %d, %Y"
ARTICLE_URL = "posts/{slug}/"
ARTICLE_SAVE_AS = "posts/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
RELATIVE_URLS = False
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}
"""


def write_pelican(posts: list[Post], root: Path) -> None:
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    for p in posts:
        body = _links(p.body, lambda j: "{filename}/" + f"{posts[j].slug}.md")
        head = (f"Title: {p.title}\nDate: {p.date.isoformat()} 09:00\nCategory: {p.tags[0]}\n"
                f"Tags: {', '.join(p.tags)}\nSlug: {p.slug}\nSummary: {p.summary}\n\n")
        (root / "content" / f"{p.slug}.md").write_text(head + body, encoding="utf-8")


MARKER = ".bench-corpus"


def generate(n: int, outdir: Path, seed: int = 42) -> list[Post]:
    """Writes the three sites (replacing an earlier corpus in outdir) and returns the posts."""
    if outdir.exists() and any(outdir.iterdir()):
        if not (outdir / MARKER).exists():
            raise SystemExit(f"error: {outdir} is not empty and was not made by generate.py; "
                             f"pick an empty or new folder")
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / MARKER).write_text(f"{n} posts, seed {seed}\n", encoding="utf-8")
    posts = make_posts(n, seed)
    write_mlfolio(posts, outdir)
    write_hugo(posts, outdir / "hugo")
    write_pelican(posts, outdir / "pelican")
    return posts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, metavar="N", help="number of posts")
    ap.add_argument("outdir", type=Path, metavar="OUTDIR",
                    help="the mlfolio site; hugo/ and pelican/ go inside it (replaced if made by this script)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    posts = generate(args.n, args.outdir, args.seed)
    words = sum(_prose_words(p.body) for p in posts)
    print(f"Generated {len(posts)} posts ({words:,} words of prose) in {args.outdir}/ (mlfolio), hugo/ and pelican/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
