from django.apps import AppConfig


class SimulationConfig(AppConfig):
    """The simulator: a seeded day on a virtual clock (`manage.py simulate --headless`), the live mode
    that drives the running system over HTTP, and the supervisors' what-if runs."""

    name = "command.simulation"
    label = "simulation"
    verbose_name = "Simulator"
