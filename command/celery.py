"""The Celery app: `celery -A command worker` and `celery -A command beat`."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "command.settings")

app = Celery("command")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
