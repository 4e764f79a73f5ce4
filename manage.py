#!/usr/bin/env python
"""Django's command-line utility. With no DATABASE_URL / REDIS_URL it uses the checkout's embedded services."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "command.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
