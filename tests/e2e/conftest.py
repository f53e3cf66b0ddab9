"""Playwright fixtures for Debian's Chromium (pytest-playwright cannot find it by channel)."""
import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, offline_routes


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Replaces pytest-base-url's fixture: the pages come from our live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    # bypass_csp lets axe be injected under the strict Content-Security-Policy.
    return {**browser_context_args, "bypass_csp": True, "base_url": live_server}


@pytest.fixture
def context(browser, browser_context_args, live_server, app):
    context = browser.new_context(**browser_context_args)
    offline_routes(context, live_server, app.config["HTMX_URL"])
    yield context
    context.close()


@pytest.fixture
def no_js_context(browser, browser_context_args, live_server, app):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    offline_routes(context, live_server, app.config["HTMX_URL"])
    yield context
    context.close()


@pytest.fixture
def no_js_page(no_js_context):
    return no_js_context.new_page()
