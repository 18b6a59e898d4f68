"""On a phone, everything a thumb presses is big enough: every button, navigation link,
checkbox and radio button at least 44 by 44 CSS pixels (with its label, for a checkbox or a
radio button), and no checkbox squeezed narrow by a long label. Links inside a sentence are
the exception. Every page a signed-in person can open is visited."""

import re

import pytest
from playwright.sync_api import Page

from backcoach.accounts.models import Person
from tests.clients import Browser
from tests.sweep import PARAMETERS, all_routes, concrete_url, seed_owner_data

MINIMUM = 44
MEASURE = """() => {
  const problems = [];
  const shown = (box) => box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0;
  const text = (el) => (el.getAttribute("aria-label") || el.textContent || el.value || "")
    .trim().replace(/\\s+/g, " ").slice(0, 50);
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${text(el)}"`;
  const size = (box) => `${Math.round(box.width)}×${Math.round(box.height)}`;
  for (const el of document.querySelectorAll(
      "button, a.button, nav a, header a, input[type=submit], select, summary")) {
    const box = el.getBoundingClientRect();
    if (!shown(box) || getComputedStyle(el).visibility === "hidden") continue;
    if (box.width < MIN || box.height < MIN) problems.push(`${name(el)} is ${size(box)}`);
  }
  for (const input of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
    const own = input.getBoundingClientRect();
    if (!shown(own) || getComputedStyle(input).visibility === "hidden") continue;
    const label = input.closest("label")
      || (input.id && document.querySelector(`label[for="${input.id}"]`));
    const box = label ? label.getBoundingClientRect() : own;
    const left = Math.min(box.left, own.left), right = Math.max(box.right, own.right);
    const top = Math.min(box.top, own.top), bottom = Math.max(box.bottom, own.bottom);
    if (right - left < MIN || bottom - top < MIN)
      problems.push(`${name(label || input)} (a ${input.type}) is ${
        Math.round(right - left)}×${Math.round(bottom - top)}`);
    // A radio drawn as a chip hides its input on purpose (the label is the target).
    const hidden = getComputedStyle(input).opacity === "0" || own.width <= 2;
    if (!hidden && (own.width < 18 || own.width < own.height * 0.8))
      problems.push(`${name(label || input)}: its ${input.type} is squeezed to ${size(own)}`);
  }
  return problems;
}""".replace("MIN", str(MINIMUM))


def owner_pages(owner: Person, data: dict) -> list[str]:
    """Every page the owner can open: each GET route that answers them with HTML."""
    client = Browser()
    client.force_login(owner)
    pages = []
    for route in all_routes():
        if "admin" in str(route) or "api:" in str(route) or "/api/" in str(route):
            continue
        try:
            url = concrete_url(
                route, {name: PARAMETERS[name](owner, data) for name in route.params}
            )
        except KeyError:
            continue
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


@pytest.mark.django_db(transaction=True)
def test_every_control_on_every_page_is_big_enough_for_a_thumb(page: Page, site):
    from backcoach.safety.services import screen_record

    owner, data = seed_owner_data()
    screen_record(person=owner, answers={})
    pages = owner_pages(owner, data)
    assert len(pages) >= 20, pages
    client = Browser()
    client.force_login(owner)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}]
    )
    problems = {}
    for url in ["/accounts/login/", "/accounts/signup/", *pages]:
        if url.startswith("/accounts/") and url in ("/accounts/login/", "/accounts/signup/"):
            continue  # visited signed out below
        page.goto(site + url)
        if found := page.evaluate(MEASURE):
            problems[url] = found
    page.context.clear_cookies()
    for url in ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        page.goto(site + url)
        if found := page.evaluate(MEASURE):
            problems[f"{url} (signed out)"] = found
    assert problems == {}, "\n".join(
        f"{url}: {problem}" for url, found in problems.items() for problem in found
    )


def test_the_measure_finds_a_small_button_and_a_squeezed_checkbox(page: Page):
    """The test of the test: a page with a 30-pixel button and a checkbox squeezed by a
    long label, next to controls of the right size."""
    page.set_content(
        """<button style="height:30px;width:120px">Small</button>
        <button style="height:48px;width:120px">Big</button>
        <label style="display:flex;width:200px;min-height:48px"><input type="checkbox"
          style="width:6px">A long label that takes all the room there is and more</label>
        <label style="display:flex;min-height:48px;width:200px"><input type="radio"
          style="width:20px;height:20px;flex:none">Fine</label>"""
    )
    found = page.evaluate(MEASURE)
    assert len(found) == 2, found
    assert re.search(r'"Small" is 120×30', found[0])
    assert "squeezed" in found[1]
