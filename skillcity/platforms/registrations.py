"""What the platforms register with other apps (fact providers, source describers, jobs): one import
per part, each part's module registering its own."""

from skillcity.platforms.services import bases, experts, standards, studios, subbases  # noqa: F401
