"""SQLite for SkillCity: Django's backend, with write transactions queued on a lock file."""
