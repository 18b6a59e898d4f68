"""The push contact is checked at start, like every other setting."""

from tests.commands import assert_one_clear_line, run


def test_a_push_contact_that_is_no_address_stops_the_start_with_one_line(tmp_path):
    result = run("check", data_dir=tmp_path, extra_env={"BACKCOACH_PUSH_CONTACT": "admin"})
    assert_one_clear_line(result, "BACKCOACH_PUSH_CONTACT='admin'", "mailto: or https:")


def test_the_push_contact_is_made_from_the_sender_when_not_set(tmp_path):
    result = run(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.PUSH_CONTACT)",
        data_dir=tmp_path,
        extra_env={"DEFAULT_FROM_EMAIL": "Night desk <night@clinic.example>"},
    )
    assert result.stdout.strip().splitlines()[-1] == "mailto:night@clinic.example", result.stderr
