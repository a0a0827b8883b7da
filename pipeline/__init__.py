"""vn-news-pipeline: Vietnamese mass-organisation news to numeric claims people can check."""

__version__ = "0.1.0"
