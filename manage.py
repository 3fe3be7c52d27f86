#!/usr/bin/env python
import os
import sys

DEVELOPMENT = "config.settings.base"


def main():
    # Development settings by default, so that `make run` needs no environment
    # (DEBUG on, SQLite, tasks in-process), and said aloud so that nobody deploys
    # them unawares. wsgi.py and celery.py default to production instead.
    if "DJANGO_SETTINGS_MODULE" not in os.environ and not any(
            arg.startswith("--settings") for arg in sys.argv):
        os.environ["DJANGO_SETTINGS_MODULE"] = DEVELOPMENT
        print(f"manage.py: development settings ({DEVELOPMENT}, DEBUG on); "
              "set DJANGO_SETTINGS_MODULE=config.settings.production to deploy.",
              file=sys.stderr)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
