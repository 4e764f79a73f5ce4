from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks (`manage.py bench ...`), each beside a baseline measured in the same run."""

    name = "command.bench"
    label = "bench"
    verbose_name = "Benchmarks"
