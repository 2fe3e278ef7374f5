#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

import reseller  # noqa: F401 - first: makes the ``numbers`` app importable (see reseller/__init__.py)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reseller.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
