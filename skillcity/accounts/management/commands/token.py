"""skillcity token create --user NAME [--name LABEL] | skillcity token revoke --prefix P | skillcity token list --user NAME"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.accounts.models import ApiToken, User, normalise_username
from skillcity.accounts.services import token_create, token_revoke
from skillcity.core.errors import DomainError


class Command(BaseCommand):
    help = "Create, list or revoke personal API access tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="cli")
        listing = sub.add_parser("list", help="list a user's tokens")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("--prefix", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "revoke":
                token = ApiToken.objects.filter(
                    prefix=options["prefix"].removeprefix("sct_").rstrip("_…")
                ).first()
                if token is None:
                    raise CommandError(f"no token with prefix {options['prefix']}", returncode=2)
                token_revoke(token=token, actor=f"cli:{token.user.username}")
                self.stdout.write(f"revoked sct_{token.prefix}")
                return
            user = User.objects.filter(username=normalise_username(options["user"])).first()
            if user is None:
                raise CommandError(f"--user: no user named {options['user']!r}", returncode=2)
            if action == "create":
                _token, clear = token_create(user=user, name=options["name"], actor=f"cli:{user.username}")
                self.stdout.write(clear)
            else:
                for token in ApiToken.objects.filter(user=user):
                    state = "active" if token.is_active else "revoked"
                    self.stdout.write(
                        f"sct_{token.prefix}\t{token.name}\t{token.created_at:%Y-%m-%d %H:%M}\t{state}"
                    )
        except DomainError as exc:
            raise CommandError(str(exc.message), returncode=2) from None
