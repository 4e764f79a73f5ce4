from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "command"
    verbose_name = _("Command centre")

    def ready(self):
        from command import checks  # noqa: F401  (registers the deploy checks)
        from command import audit
        from common import dates, strict_input

        audit.install_actor_hook()  # API tokens' logins are the audit trail's actors too

        dates.install()  # dates bounded wherever they enter (issue 19)
        strict_input.install()  # writes naming a field the endpoint does not have are refused
