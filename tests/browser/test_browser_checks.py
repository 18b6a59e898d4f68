"""The checks every browser test relies on must themselves catch what they claim to."""

import pytest
from playwright.sync_api import Page

from tests.browser.checks import PageProblems, assert_accessible


@pytest.mark.django_db(transaction=True)
def test_the_accessibility_audit_catches_an_image_without_alt_text(page: Page, site):
    page.goto(site + "/")
    page.evaluate("""() => {
        const img = document.createElement('img');
        img.src = '/static/favicon.svg';
        document.querySelector('main').append(img);
    }""")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_a_content_security_policy_violation_is_reported(context, site):
    page = context.new_page()
    problems = PageProblems(page)
    page.goto(site + "/")
    page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true';
        document.body.append(script);
    }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.inlineRan === undefined")
    assert any("Content Security Policy" in message for message in problems.messages)
