"""Shared helpers for readers of XML-ish inputs."""

from __future__ import annotations


def head_text(head: bytes, size: int = 2048) -> str:
    """The start of an input as lower-case text, BOM and leading whitespace removed, for sniffing."""
    text = head[:size].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()
    return text
