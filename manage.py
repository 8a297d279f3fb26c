#!/usr/bin/env python
"""Django's command-line utility; a configuration error stops with its message instead of a traceback.

Without ``DATABASE_URL`` this entry point starts (or joins) the embedded PostgreSQL before the command runs and
stops it when the last process using it exits, also on Ctrl-C, SIGTERM or SIGHUP (``jobcenter/embedded.py``).
"""

import os
import sys

# Commands that never open a database connection do not start the embedded server.
WITHOUT_DATABASE = {"compilemessages", "makemessages", "collectstatic", "help", "version", "--help", "-h", "--version"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobcenter.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from jobcenter import embedded

    try:
        if len(sys.argv) > 1 and sys.argv[1] not in WITHOUT_DATABASE:
            embedded.ensure_started()
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
