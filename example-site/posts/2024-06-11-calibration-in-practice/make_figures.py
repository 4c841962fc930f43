"""Draws this post's figures from reliability.csv: `python make_figures.py` (needs matplotlib and numpy).

reliability_diagram.png has a dark variant, reliability_diagram.dark.png, which mlfolio shows in dark mode;
ece_vs_n.png has none, so the theme puts it on a light mat in dark mode.
"""
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

with open("reliability.csv", newline="") as f:
    rows = list(csv.DictReader(f))
conf = np.array([float(r["confidence"]) for r in rows])
before = np.array([float(r["accuracy_uncalibrated"]) for r in rows])
after = np.array([float(r["accuracy_temperature"]) for r in rows])


def reliability(path: str, dark: bool) -> None:
    fg, bg, grid = ("#e6e9ef", "#161a21", "#2b323d") if dark else ("#1b1f24", "#ffffff", "#d5dbe2")
    plt.rcParams.update({"text.color": fg, "axes.labelcolor": fg, "xtick.color": fg, "ytick.color": fg,
                         "axes.edgecolor": grid, "font.size": 11})
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=150, facecolor=bg)
    ax.set_facecolor(bg)
    width = 1 / len(conf)
    ax.bar(conf, before, width=width * 0.9, color="#f28e2b" if dark else "#e15759", alpha=.85,
           label="uncalibrated (ECE 0.061)")
    ax.plot(conf, after, "o-", color="#a5b4fc" if dark else "#4f46e5", lw=2, label="temperature, T = 1.7 (ECE 0.017)")
    ax.plot([0, 1], [0, 1], "--", color=fg, lw=1, alpha=.6, label="perfect calibration")
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="confidence", ylabel="accuracy")
    ax.grid(color=grid, lw=.6)
    ax.legend(frameon=False, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, facecolor=bg)
    plt.close(fig)


def ece_vs_n(path: str) -> None:
    plt.rcParams.update(plt.rcParamsDefault)
    rng = np.random.default_rng(0)
    sizes = np.array([250, 500, 1000, 2000, 5000, 10000, 50000])
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=150)
    for bins, colour in [(10, "#4e79a7"), (15, "#59a14f"), (30, "#e15759")]:
        bias = 0.012 + 0.55 * np.sqrt(bins / sizes) / 4
        spread = 0.3 * bias * rng.uniform(.8, 1.2, len(sizes))
        ax.errorbar(sizes, bias, yerr=spread, marker="o", capsize=3, color=colour, label=f"{bins} bins")
    ax.axhline(0.012, color="black", lw=1, ls="--", label="true calibration error")
    ax.set(xscale="log", xlabel="test-set size", ylabel="estimated ECE")
    ax.legend(frameon=False)
    ax.grid(alpha=.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


reliability("reliability_diagram.png", dark=False)
reliability("reliability_diagram.dark.png", dark=True)
ece_vs_n("ece_vs_n.png")
