"""Public pages in the browser: htmx loads from the pinned CDN URL (served locally), axe passes."""
from tests.support.browser import assert_accessible


def test_home_lists_the_four_events_and_passes_axe(page, events):
    page.goto("/")
    assert page.locator("article.card").count() == 4
    assert page.evaluate("typeof window.htmx") == "object"  # the integrity hash matched
    assert_accessible(page)
