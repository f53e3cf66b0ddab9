"""htmx support in a few lines: one URL serves the full page, or its partial for htmx."""
from flask import render_template, request


def is_htmx(headers=None) -> bool:
    """True for a request made by htmx (and not a boosted full-page navigation); `headers`: another
    request's than the current one (a WSGI middleware's)."""
    headers = request.headers if headers is None else headers
    return headers.get("HX-Request") == "true" and headers.get("HX-Boosted") != "true"


def render_page_or_partial(page: str, partial: str, status: int = 200, /, *, target: str | None = None, **context):
    """Render `page`, or only `partial` (which the page includes) when htmx asks for it (and,
    with `target`, only when htmx will put it in the element of that id)."""
    wants_partial = is_htmx() and (target is None or request.headers.get("HX-Target") == target)
    return render_template(partial if wants_partial else page, **context), status


def htmx_response_hook(response):
    """Vary on HX-Request; and when an htmx request gets a whole page (an error or a notice
    page instead of the expected fragment), let it replace the body rather than nest inside."""
    response.vary.add("HX-Request")
    if is_htmx() and response.mimetype == "text/html" and not response.direct_passthrough:
        head = response.get_data()[:64].lstrip().lower()
        if head.startswith(b"<!doctype html"):
            response.headers["HX-Retarget"] = "body"
            response.headers["HX-Reswap"] = "innerHTML"
    return response
