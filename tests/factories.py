"""factory_boy factories for domain data: valid resident IDs and USCCs, Dongguan towns."""

from __future__ import annotations

import datetime
import itertools

import factory

from skillcity.accounts.models import Role, User
from skillcity.core.validators import USCC_ALPHABET, resident_id_check_char, uscc_check_char
from skillcity.registry.models import Industry, Occupation, Organisation, OrganisationCategory, Town, Worker

_serial = itertools.count(1)


def make_resident_id(
    *, birth: datetime.date = datetime.date(1990, 5, 17), male: bool = True, serial: int | None = None
) -> str:
    n = next(_serial) if serial is None else serial
    seq = (n * 2 + (1 if male else 0)) % 1000  # the 17th digit: odd for men
    first17 = f"441900{birth:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


def make_uscc(*, authority: str = "9", kind: str = "1", serial: int | None = None) -> str:
    n = next(_serial) if serial is None else serial
    body = ""
    for _ in range(9):
        body = USCC_ALPHABET[n % 31] + body
        n //= 31
    first17 = f"{authority}{kind}441900{body}"
    return first17 + uscc_check_char(first17)


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town
        django_get_or_create = ("name",)

    name = "长安镇"
    code = factory.LazyAttribute(
        lambda o: {"长安镇": "441900119000", "虎门镇": "441900121000"}.get(
            o.name, f"4419{abs(hash(o.name)) % 10**8:08d}"
        )
    )
    kind = Town.Kind.TOWN


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = "new_generation_electronics"
    name = "新一代电子信息"
    kind = Industry.Kind.PILLAR


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation
        django_get_or_create = ("code",)

    code = "6-18-01-01"
    name = "车工"
    programme = Occupation.Programme.MANUFACTURING


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    category = OrganisationCategory.ENTERPRISE
    name = factory.Sequence(lambda n: f"东莞市测试制造有限公司{n}")
    uscc = factory.LazyFunction(make_uscc)
    town = factory.SubFactory(TownFactory)
    total_staff = 100
    managers = 10


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    name = factory.Sequence(lambda n: f"测试员{n}")
    id_number = factory.LazyFunction(make_resident_id)
    gender = "M"
    birth_date = datetime.date(1990, 5, 17)
    phone = "13800138000"
    town = factory.SubFactory(TownFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.BUREAU_OFFICER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


# --- competitions --------------------------------------------------------------------------------


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Competition"

    name = factory.Sequence(lambda n: f"东莞市职业技能大赛{n}")
    level = "city_class1"
    year = 2024
    organiser = factory.SubFactory(OrganisationFactory, category=OrganisationCategory.ENTERPRISE)
    starts_on = datetime.date(2024, 9, 1)
    ends_on = datetime.date(2024, 9, 30)
    state = "published"
    created_by = factory.SubFactory(UserFactory)


class ContestProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.ContestProject"

    competition = factory.SubFactory(CompetitionFactory)
    name = factory.Sequence(lambda n: f"数控车项目{n}")
    occupation = factory.SubFactory(OccupationFactory)
    direction = "数控车工"
    level = 3
    host_unit = factory.SubFactory(OrganisationFactory)
    starts_on = datetime.date(2024, 9, 10)
    ends_on = datetime.date(2024, 9, 11)
    venue = "东莞市技师学院"


class EntryFactory(factory.django.DjangoModelFactory):
    """An individual entry with one player (pass `players=[w1, w2]` for a team)."""

    class Meta:
        model = "competitions.Entry"
        skip_postgeneration_save = True

    project = factory.SubFactory(ContestProjectFactory)
    unit = factory.SubFactory(OrganisationFactory)
    registered_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def players(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        from skillcity.competitions.models import EntryPlayer

        workers = list(extracted) if extracted else [WorkerFactory(employer=self.unit)]  # type: ignore[call-overload]
        for worker in workers:
            EntryPlayer.objects.create(entry=self, project=self.project, worker=worker)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Section"

    project = factory.SubFactory(ContestProjectFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    name = "加工"


class AspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Aspect"

    section = factory.SubFactory(SectionFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    description = "尺寸精度"
    kind = "measurement"
    max_mark = 10


class JudgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Judge"

    project = factory.SubFactory(ContestProjectFactory)
    worker = factory.SubFactory(WorkerFactory)
    unit = factory.LazyAttribute(lambda judge: judge.worker.employer)
    assigned_by = factory.SubFactory(UserFactory)
