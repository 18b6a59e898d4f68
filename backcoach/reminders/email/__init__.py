"""The e-mail channel: the bedtime e-mail with a one-click unsubscribe (RFC 8058)."""
