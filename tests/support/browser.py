"""Browser helpers: Debian's Chromium, no network but this machine, htmx served from npm, axe."""
import json
import os
import re

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE_MODULES = os.path.join(TESTS, "js", "node_modules")
HTMX_FILE = os.path.join(NODE_MODULES, "htmx.org", "dist", "htmx.min.js")
AXE_FILE = os.path.join(NODE_MODULES, "axe-core", "axe.min.js")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def offline_routes(context, live_server: str, htmx_url: str) -> None:
    """Serve the CDN's htmx from the npm copy (its integrity hash is checked for real) and
    refuse every request that would leave this machine. Only requests to elsewhere than the live
    server are routed: a regular expression is matched by the browser's driver, so the pages'
    own requests never make the round trip to this process (a handler for every request did)."""
    def handle(route):
        if route.request.url == htmx_url:
            route.fulfill(path=HTMX_FILE, content_type="application/javascript",
                          headers={"Access-Control-Allow-Origin": "*"})
        else:
            route.abort()
    context.route(re.compile("^(?!" + re.escape(live_server) + "/)"), handle)


def axe_violations(page) -> list:
    page.add_script_tag(path=AXE_FILE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return result["violations"]


def assert_accessible(page, what: str = "") -> None:
    violations = axe_violations(page)
    report = json.dumps([
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations], indent=1, ensure_ascii=False)
    assert not violations, f"axe found {len(violations)} violation(s) on {what or page.url}:\n{report}"
