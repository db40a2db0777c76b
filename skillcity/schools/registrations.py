"""What the schools register with other apps (the EDU rules' fact providers, source describers)."""

from skillcity.schools.services import grants

grants.register()
