"""The `skillcity` console command: every operator task is a sub-command.

`skillcity policy eval …`, `skillcity generate …`, `skillcity token create …` and the rest are
Django management commands in the apps' management/commands folders; Django's own (migrate,
createsuperuser, shell …) work too.
"""

from __future__ import annotations

import os
import sys

# Names an operator types that are not valid module names.
ALIASES = {"import": "import_records"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["skillcity", *args])


if __name__ == "__main__":
    main()
