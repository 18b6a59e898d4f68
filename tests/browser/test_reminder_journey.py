"""Bedtime reminders in Chromium: the service worker shows a pushed reminder with "Start"
and "In 15 minutes", and the reminders page switches notifications and the e-mail on and
off for this person.

Two things a test cannot do for real are done as close to it as Chromium allows: the push
service's message is delivered through the DevTools protocol (ServiceWorker.deliverPush-
Message: the worker's real push event), and a click on a notification's action is
dispatched in the worker as a NotificationEvent (the system's own clicks cannot be made,
and Chromium lets only those open a window, so opening one is recorded, not done).
"""

import base64
import datetime as dt
import json

import pytest
from playwright.sync_api import Page, expect

from backcoach.reminders import sending, tasks
from backcoach.reminders.models import PushSubscription, Reminder
from backcoach.reminders.push import keys
from tests.browser.checks import assert_accessible
from tests.browser.test_player_journey import wait_until
from tests.clients import Browser
from tests.factories import make_person
from tests.reminders.conftest import queued

ONE_NOTIFICATION = (
    "navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((n) => n.length === 1)"
)
# A browser's subscription keys (a valid P-256 point and a 16-byte secret).
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


@pytest.fixture
def person(transactional_db):
    return make_person(email="night@example.org", name="Nia", bedtime=dt.time(22, 45))


def log_in(page: Page, site: str, person) -> None:
    client = Browser()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}]
    )


def open_reminders(page: Page, site: str) -> None:
    page.context.grant_permissions(["notifications"], origin=site)
    page.goto(site + "/reminders/")
    wait_until(page, "navigator.serviceWorker.controller !== null")


def subscribed_browser(person) -> PushSubscription:
    return PushSubscription.objects.create(
        person=person,
        endpoint="https://fcm.googleapis.com/fcm/send/chromium",
        p256dh=P256DH,
        auth=AUTH,
        server_key=keys.application_server_key(),
    )


def deliver_push(page: Page, site: str, message: dict) -> None:
    """What the push service does, through the DevTools protocol: the message reaches the
    site's service worker as a push event, once DevTools reports that worker activated
    (the registration and its version arrive as events, in their own time)."""
    cdp = page.context.new_cdp_session(page)
    registrations: dict[str, dict] = {}
    versions: dict[str, dict] = {}
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.update(
            {r["registrationId"]: r for r in event["registrations"]}
        ),
    )
    cdp.on(
        "ServiceWorker.workerVersionUpdated",
        lambda event: versions.update({v["versionId"]: v for v in event["versions"]}),
    )
    cdp.send("ServiceWorker.enable")

    def activated() -> str | None:
        for registration in registrations.values():
            if registration["scopeURL"] != site + "/" or registration["isDeleted"]:
                continue
            for version in versions.values():
                if (
                    version["registrationId"] == registration["registrationId"]
                    and version["status"] == "activated"
                ):
                    return registration["registrationId"]
        return None

    for _ in range(100):
        if (registration_id := activated()) is not None:
            break
        page.wait_for_timeout(50)  # lets Playwright dispatch the DevTools events
    else:
        raise AssertionError(f"no activated service worker for {site}: {registrations}")
    push = {"origin": site, "registrationId": registration_id, "data": json.dumps(message)}
    cdp.send("ServiceWorker.deliverPushMessage", push)
    try:
        wait_until(page, ONE_NOTIFICATION, seconds=5)
    except AssertionError:
        # DevTools can drop a message sent while it starts the (idle) worker up; a push
        # service delivers again, and so does this. The tag makes it one notification.
        cdp.send("ServiceWorker.deliverPushMessage", push)
        wait_until(page, ONE_NOTIFICATION)


def shown_notifications(page: Page) -> list[dict]:
    return page.evaluate(
        """navigator.serviceWorker.ready
        .then((r) => r.getNotifications())
        .then((all) => all.map((n) => ({title: n.title, body: n.body, tag: n.tag,
                                        actions: n.actions.map((a) => [a.action, a.title])})))"""
    )


def click_notification(page: Page, action: str) -> None:
    """A click on the shown notification's `action` ("" for the notification itself), as
    the system passes it to the worker. Opening and focusing windows are recorded in the
    worker's `opened` (Chromium allows them only for the system's own clicks)."""
    [worker] = [w for w in page.context.service_workers if w.url.endswith("/sw.js")]
    worker.evaluate(
        """(action) => {
          self.opened = [];
          self.clients.openWindow = async (url) => { self.opened.push(["open", url]); };
          return self.registration.getNotifications().then(([notification]) => {
            self.dispatchEvent(new NotificationEvent("notificationclick", {notification, action}));
          });
        }""",
        action,
    )


def opened(page: Page) -> list:
    [worker] = [w for w in page.context.service_workers if w.url.endswith("/sw.js")]
    return worker.evaluate("self.opened")


@pytest.mark.django_db(transaction=True)
def test_a_pushed_reminder_is_shown_with_start_and_in_15_minutes(page: Page, site, person):
    log_in(page, site, person)
    open_reminders(page, site)
    message = sending.push_message(subscribed_browser(person), evening=dt.date.today(), snooze=0)

    deliver_push(page, site, message)
    assert shown_notifications(page) == [
        {
            "title": "Bedtime (22:45)",
            "body": message["body"],
            "tag": "backcoach-bedtime",
            "actions": [["start", "Start"], ["snooze", "In 15 minutes"]],
        }
    ]


@pytest.mark.django_db(transaction=True)
def test_the_last_snooze_offers_only_start(page: Page, site, person):
    log_in(page, site, person)
    open_reminders(page, site)
    message = sending.push_message(
        subscribed_browser(person), evening=dt.date.today(), snooze=sending.MAX_SNOOZES
    )
    deliver_push(page, site, message)
    [shown] = shown_notifications(page)
    assert shown["actions"] == [["start", "Start"]]
    assert shown["title"] == "Bedtime, again"


@pytest.mark.django_db(transaction=True)
def test_in_15_minutes_asks_the_server_to_send_it_again(page: Page, site, person):
    log_in(page, site, person)
    open_reminders(page, site)
    subscription = subscribed_browser(person)
    deliver_push(page, site, sending.push_message(subscription, evening=dt.date.today(), snooze=0))

    click_notification(page, "snooze")
    for _ in range(50):
        if queued(tasks.reminder_push_send).exists():
            break
        page.wait_for_timeout(100)
    [again] = queued(tasks.reminder_push_send)
    assert again.args_kwargs["args"][0] == subscription.pk
    assert again.args_kwargs["args"][-1] == 1  # the first snooze
    assert opened(page) == []
    assert page.evaluate(ONE_NOTIFICATION.replace("=== 1", "=== 0"))


@pytest.mark.django_db(transaction=True)
def test_start_opens_tonights_routine(page: Page, site, person):
    log_in(page, site, person)
    open_reminders(page, site)
    subscription = subscribed_browser(person)
    deliver_push(page, site, sending.push_message(subscription, evening=dt.date.today(), snooze=0))
    click_notification(page, "start")
    page.wait_for_timeout(300)
    assert opened(page) == [["open", "/play/tonight/"]]
    assert not queued(tasks.reminder_push_send).exists()


# The page ------------------------------------------------------------------------------

# PushManager.subscribe needs the browser's push service (Google's, for Chromium), which a
# test machine cannot reach: this one hands out a subscription as a browser would, and
# keeps it across reloads as a browser does.
FAKE_PUSH_MANAGER = """
const KEPT = "test.subscription";
function fake(options) {
  return {
    endpoint: "https://fcm.googleapis.com/fcm/send/this-browser",
    options,
    toJSON() {
      return { endpoint: this.endpoint, expirationTime: null,
               keys: { p256dh: "P256DH", auth: "AUTH_SECRET" } };
    },
    async unsubscribe() { localStorage.removeItem(KEPT); return true; },
  };
}
PushManager.prototype.getSubscription = async function () {
  const kept = localStorage.getItem(KEPT);
  return kept ? fake({ applicationServerKey: Uint8Array.from(JSON.parse(kept)).buffer }) : null;
};
PushManager.prototype.subscribe = async function (options) {
  if (!options.userVisibleOnly) throw new Error("push without a notification");
  localStorage.setItem(KEPT, JSON.stringify([...new Uint8Array(options.applicationServerKey)]));
  return fake(options);
};
""".replace("P256DH", P256DH).replace("AUTH_SECRET", AUTH)


@pytest.mark.django_db(transaction=True)
def test_the_page_switches_notifications_on_and_off_for_this_browser(page: Page, site, person):
    page.add_init_script(FAKE_PUSH_MANAGER)
    log_in(page, site, person)
    open_reminders(page, site)
    status = page.locator("[data-push-status]")
    expect(status).to_have_text("Notifications are off for this device.")
    assert_accessible(page)

    page.get_by_role("button", name="Notify me here at bedtime").click()
    expect(status).to_have_text("Notifications are on for this device.")
    [subscription] = person.push_subscriptions.all()
    assert subscription.endpoint == "https://fcm.googleapis.com/fcm/send/this-browser"
    assert subscription.server_key == keys.application_server_key()
    # The browser subscribed with the server's public key.
    subscribed_with = page.evaluate("JSON.parse(localStorage.getItem('test.subscription'))")
    server_key = keys.application_server_key()
    assert bytes(subscribed_with) == base64.urlsafe_b64decode(
        server_key + "=" * (-len(server_key) % 4)
    )
    expect(page.get_by_text("Notifications go to 1 device;")).to_be_visible()
    assert_accessible(page)

    # Switched off everywhere (from this page or another device): the browser still holds
    # its subscription, but the page says what the server will do.
    page.get_by_role("button", name="Stop notifications on every device").click()
    expect(page.get_by_text("Notifications are switched off on every device.")).to_be_visible()
    expect(status).to_have_text("Notifications are off for this device.")
    assert not person.push_subscriptions.exists()
    page.get_by_role("button", name="Notify me here at bedtime").click()
    expect(status).to_have_text("Notifications are on for this device.")
    assert person.push_subscriptions.count() == 1

    page.get_by_role("button", name="Stop notifications on this device").click()
    expect(status).to_have_text("Notifications are off for this device.")
    assert not person.push_subscriptions.exists()
    assert not Reminder.objects.filter(person=person, channel=Reminder.Channel.PUSH).exists()


@pytest.mark.django_db(transaction=True)
def test_the_bedtime_email_is_switched_on_and_off_on_the_page(page: Page, site, person, settings):
    settings.EMAIL_HOST = "smtp.example.org"  # the button is offered only where mail goes out
    log_in(page, site, person)
    page.goto(site + "/accounts/settings/")
    page.get_by_role(
        "link", name="Bedtime reminder: a notification, an e-mail or your calendar"
    ).click()
    page.get_by_role("button", name="E-mail me at bedtime").click()
    expect(page.get_by_text("You will get an e-mail at bedtime.")).to_be_visible()
    reminder = Reminder.objects.get(person=person, channel=Reminder.Channel.EMAIL)
    assert reminder.site_url == site + "/"
    assert_accessible(page)
    page.get_by_role("button", name="Stop the bedtime e-mail").click()
    expect(page.get_by_text("The bedtime e-mail is switched off.")).to_be_visible()
    assert not Reminder.objects.filter(person=person).exists()


@pytest.mark.django_db(transaction=True)
def test_logging_out_stops_this_browsers_notifications_and_no_other(page: Page, site, person):
    page.add_init_script(FAKE_PUSH_MANAGER)
    log_in(page, site, person)
    open_reminders(page, site)
    page.get_by_role("button", name="Notify me here at bedtime").click()
    expect(page.locator("[data-push-status]")).to_have_text("Notifications are on for this device.")
    elsewhere = subscribed_browser(person)  # their phone, say

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    assert list(person.push_subscriptions.all()) == [elsewhere]
    assert page.evaluate("localStorage.getItem('test.subscription')") is None
