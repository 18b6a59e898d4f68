"""The notification channel: Web Push (RFC 8030) with VAPID (RFC 8292), encrypted to the
browser (RFC 8291) by pywebpush."""
