"""The API reference as an HTML page at /api/docs, rendered on the server from the OpenAPI document,
so it works without JavaScript under the site's CSP.

``docs_context`` turns the document into plain data for ``templates/api/docs.html``; the page is
built once per app (the document does not change while it runs).
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request, Response

from ..templating import render
from .routing import CACHE_DOCS, DEFAULT_LIMIT, MAX_LIMIT, MAX_SEARCH_OFFSET, PREFIX

router = APIRouter()

#: Order of the sections of the docs page (tags of the routes).
_TAG_ORDER = ("sources", "articles", "stories", "copies", "entities", "quotes")
_TAG_TEXT = {
    "sources": "The feeds, sitemaps and lists newsdesk updates, with their health. Adding, removing, "
    "pausing and resuming need the token.",
    "articles": "Clean articles: list with filters, search, read whole, and see who copied whom.",
    "stories": "Articles about the same event, grouped as they arrive.",
    "copies": "Copy edges: which article copies which original, how, and the evidence.",
    "entities": "The people, organisations and places the articles name, with their quotes and articles.",
    "quotes": "Who said what: quotes with their speakers, and which outlet reported each statement first.",
}


def _prose(text: str | None) -> list[list[tuple[str, bool]]]:
    """Docstring text as paragraphs (split on blank lines, lines joined), each a list of
    (text, is_code) runs: `backticks` mark code."""
    out = []
    for block in re.split(r"\n\s*\n", text or ""):
        folded = " ".join(block.split())
        if folded:
            out.append([(run, i % 2 == 1) for i, run in enumerate(folded.split("`")) if run])
    return out


def _schema_type(schema: dict[str, Any]) -> tuple[str, str | None]:
    """A schema as a short phrase ("array of ArticleSummary", "integer, 1 to 100") and the name of
    the component it refers to, for a link."""
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        return name, name
    if "anyOf" in schema or "oneOf" in schema:
        options = [o for o in schema.get("anyOf", schema.get("oneOf", [])) if o.get("type") != "null"]
        nullable = len(options) < len(schema.get("anyOf", schema.get("oneOf", [])))
        parts = [_schema_type(o) for o in options]
        text = " or ".join(p[0] for p in parts) + (" or null" if nullable else "")
        return text, next((p[1] for p in parts if p[1]), None)
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _schema_type(schema["allOf"][0])
    kind = schema.get("type")
    if kind == "array":
        inner, ref = _schema_type(schema.get("items", {}))
        return f"array of {inner}", ref
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"]), None
    if "const" in schema:
        return f"always {schema['const']}", None
    if kind == "object" or (kind is None and "additionalProperties" in schema):
        return "object", None
    text = str(kind or "any")
    if "format" in schema:
        text += f" ({schema['format']})"
    return text, None


def _limits(schema: dict[str, Any]) -> str:
    found = []
    for key, word in (("minimum", "at least"), ("maximum", "at most"), ("exclusiveMinimum", "above")):
        if key in schema:
            found.append(f"{word} {schema[key]}")
    if "minLength" in schema and schema["minLength"] > 1:
        found.append(f"at least {schema['minLength']} characters")
    if "maxLength" in schema:
        found.append(f"at most {schema['maxLength']} characters")
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            found.extend(x for x in [_limits(option)] if x)
    return ", ".join(found)


def _media_schema(content: dict[str, Any]) -> dict[str, Any] | None:
    """The schema of the first media type of a request or response body."""
    for media in content.values():
        schema: dict[str, Any] | None = media.get("schema")
        return schema
    return None


def _operation(path: str, method: str, op: dict[str, Any]) -> dict[str, Any]:
    params = []
    for p in op.get("parameters", []):
        schema = p.get("schema", {})
        text, ref = _schema_type(schema)
        params.append(
            {
                "name": p["name"],
                "where": p["in"],
                "required": p.get("required", False),
                "type": text,
                "ref": ref,
                "limits": _limits(schema),
                "default": json.dumps(schema["default"]) if "default" in schema else None,
                "description": _prose(p.get("description") or schema.get("description", "")),
            }
        )
    body = None
    if "requestBody" in op:
        content = op["requestBody"].get("content", {})
        text, ref = _schema_type(_media_schema(content) or {})
        body = {
            "type": text,
            "ref": ref,
            "media": next(iter(content), "application/json"),
            "required": op["requestBody"].get("required", False),
        }
    responses = []
    for status, r in op.get("responses", {}).items():
        content = r.get("content", {})
        schema = _media_schema(content)
        text, ref = _schema_type(schema) if schema else ("", None)
        responses.append(
            {"status": status, "description": _prose(r.get("description")), "type": text, "ref": ref}
        )
    return {
        "method": method.upper(),
        "path": path,
        "id": (method + path).replace("/", "-").replace("{", "").replace("}", "").strip("-"),
        "summary": op.get("summary", ""),
        "description": _prose(op.get("description", "")),
        "token": bool(op.get("security")),
        "parameters": params,
        "body": body,
        "responses": responses,
    }


def docs_context(spec: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document as plain data for ``templates/api/docs.html``: sections by tag, each
    operation with its parameters, body, responses and auth rule, then every schema."""
    by_tag: dict[str, list[dict[str, Any]]] = {}
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            tag = (op.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append(_operation(path, method, op))
    order = [t for t in _TAG_ORDER if t in by_tag] + sorted(t for t in by_tag if t not in _TAG_ORDER)
    sections = [{"tag": t, "text": _prose(_TAG_TEXT.get(t)), "operations": by_tag[t]} for t in order]
    schemas = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = []
        for field_name, prop in schema.get("properties", {}).items():
            text, ref = _schema_type(prop)
            fields.append(
                {
                    "name": field_name,
                    "type": text,
                    "ref": ref,
                    "required": field_name in required,
                    "description": _prose(prop.get("description", "")),
                }
            )
        enum = [str(v) for v in schema.get("enum", [])]
        schemas.append(
            {"name": name, "description": _prose(schema.get("description")), "fields": fields, "enum": enum}
        )
    info = spec.get("info", {})
    return {
        "title": info.get("title", "newsdesk"),
        "version": info.get("version", ""),
        "description": _prose(info.get("description")),
        "sections": sections,
        "schemas": schemas,
        "openapi_url": f"{PREFIX}/openapi.json",
        "prefix": PREFIX,
        "default_limit": DEFAULT_LIMIT,
        "max_limit": MAX_LIMIT,
        "max_search_offset": MAX_SEARCH_OFFSET,
    }


@router.get("/api/docs", include_in_schema=False)
def docs_page(request: Request) -> Response:
    """The API reference as HTML, rendered here from the OpenAPI document (no JavaScript)."""
    context = getattr(request.app.state, "api_docs_context", None)
    if context is None:
        context = request.app.state.api_docs_context = docs_context(request.app.openapi())
    response = render(request, "api/docs.html", context)
    response.headers["Cache-Control"] = CACHE_DOCS
    return response
