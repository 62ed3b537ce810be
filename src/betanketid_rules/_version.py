"""The package's version, in one place (``pyproject.toml`` holds the same; a test compares)."""

VERSION = "0.2.0"
