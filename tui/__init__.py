"""bosun: a terminal dashboard for containers (Docker and Podman)."""

__version__ = "0.1.0"
