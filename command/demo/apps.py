from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city (central Shanghai): `manage.py seed_demo` builds it, `manage.py demo` starts the
    whole topology on it."""

    name = "command.demo"
    label = "demo"
    verbose_name = "Demo city"
