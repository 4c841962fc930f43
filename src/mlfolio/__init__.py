"""mlfolio: a static-site generator for machine-learning portfolios."""

__version__ = "0.1.0"
