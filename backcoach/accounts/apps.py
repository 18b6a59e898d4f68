from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backcoach.accounts"
    label = "accounts"
    verbose_name = "People and accounts"
