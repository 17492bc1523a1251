"""(being written)"""

from __future__ import annotations

from fastapi import FastAPI

from ..config import Config


def install(app: FastAPI, config: Config) -> None:
    """Add the security headers, request limits and error handlers to ``app``."""
