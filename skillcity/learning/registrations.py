"""What learning registers with other apps (periodic jobs, hot routes, fact providers): one import per
part, each part's module registering its own."""

from skillcity.learning.services.courses import media as _course_media  # noqa: F401  (larger uploads)
