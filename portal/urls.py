"""URL helpers shared by blueprints."""
from urllib.parse import urlsplit


def local_path(target: str | None, default: str = "/") -> str:
    """Only a path on this site: never an open redirect (//host, scheme:, backslashes)."""
    target = target or default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return parts.path + (f"?{parts.query}" if parts.query else "")


def public_url(endpoint: str, **values) -> str:
    """An absolute URL on PORTAL_BASE_URL, for links in mail; works outside a request too (the
    worker's housekeeping sends waiting-list offers with no request around)."""
    from flask import current_app
    base = urlsplit(current_app.config["PORTAL_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
