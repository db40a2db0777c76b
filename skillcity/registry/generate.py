"""A deterministic synthetic Dongguan: organisations, workers and their skill records.

Same seed, same city: every random draw comes from numpy generators seeded with (seed, part,
chunk). Columns are built with numpy and written in large batches (SQLite `executemany`,
PostgreSQL `COPY`), so the city scale (1.4 million workers) loads in well under a minute.
Shares follow the 2023 baselines of policy-catalog §11: 34.14% of skilled workers are high-skilled
(level 3 or higher).

A generation run writes one audit row summarising it, not one per generated record: it is a bulk
load of synthetic data, not a person's change to a real record.
"""

from __future__ import annotations

import contextlib
import datetime
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from skillcity.core.audit import audit_record
from skillcity.core.validators import USCC_ALPHABET, USCC_WEIGHTS
from skillcity.registry.models import Industry, Occupation, Organisation, SkillRecord, Town, Worker

SCALES = {"demo": (20_000, 800), "city": (1_400_000, 5_000)}
CHUNK = 50_000
TODAY = datetime.date(2026, 11, 23)  # the demo city's "today", fixed so a seed always gives the same city

# Relative size of each town's workforce (larger manufacturing towns weigh more).
TOWN_WEIGHTS = {
    "长安镇": 9,
    "虎门镇": 9,
    "塘厦镇": 7,
    "常平镇": 7,
    "厚街镇": 7,
    "大朗镇": 6,
    "凤岗镇": 6,
    "寮步镇": 6,
    "清溪镇": 5,
    "东城街道": 6,
    "南城街道": 5,
    "松山湖": 4,
    "黄江镇": 4,
    "大岭山镇": 4,
    "樟木头镇": 3,
    "石碣镇": 3,
    "横沥镇": 3,
    "桥头镇": 3,
    "万江街道": 3,
    "茶山镇": 2,
    "石排镇": 2,
    "企石镇": 2,
    "谢岗镇": 2,
    "东坑镇": 2,
    "石龙镇": 2,
    "莞城街道": 2,
    "沙田镇": 2,
    "麻涌镇": 2,
    "中堂镇": 2,
    "高埗镇": 2,
    "道滘镇": 2,
    "洪梅镇": 1,
    "望牛墩镇": 1,
}

# Birthplace region codes: Dongguan, other Guangdong prefectures, and the provinces most of
# Dongguan's migrant workforce comes from (county-level codes).
REGIONS = np.array(
    [
        "441900",
        "441900",
        "441900",
        "441900",
        "441302",
        "441521",
        "440882",
        "441781",
        "445221",
        "440513",
        "441481",
        "430124",
        "430521",
        "431003",
        "450821",
        "452402",
        "360731",
        "362201",
        "511321",
        "510902",
        "421182",
        "420984",
        "411522",
        "412723",
        "522121",
        "520221",
    ]
)

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔"
)
SURNAME_WEIGHTS = np.array([max(1.0, 80.0 / (i + 1) ** 0.9) for i in range(len(SURNAMES))])
MALE_CHARS = list("伟强磊军勇杰涛斌超明华建国志刚俊峰文辉鹏浩宇飞亮健波宁林成东海平德龙春")
FEMALE_CHARS = list("芳娜敏静丽艳娟霞秀玲桂英红梅琳燕萍雪慧婷洁兰琴云凤颖倩玉佳欣怡")
ORG_WORDS = [
    *"华盛泰丰达通宏源鑫诚恒信嘉利德成新力科精瑞明创联众兴佳顺和安东莞粤晟锦昌",
    "长城",
    "珠江",
    "南方",
    "金山",
]
INDUSTRY_WORDS = {
    "P01": "电子科技",
    "P02": "化工",
    "P03": "电器",
    "P04": "汽车部件",
    "P05": "新材料",
    "P06": "纺织服装",
    "P07": "软件",
    "P08": "显示科技",
    "P09": "生物医药",
    "P10": "食品",
    "E01": "半导体",
    "E02": "精密机械",
    "E03": "机器人",
    "E04": "信息技术",
    "E05": "材料科技",
    "E06": "新能源",
    "E07": "激光科技",
    "E08": "文化创意",
    "E09": "环保科技",
    "E10": "仪器",
}
# Organisation categories: (category, share, USCC authority+kind, name pattern)
ORG_MIX = [
    ("enterprise", 0.885, "91", "东莞市{w}{i}有限公司"),
    ("technical_school", 0.002, "12", "东莞市{w}技工学校"),
    ("vocational_college", 0.008, "12", "东莞{w}职业技术学校"),
    ("training_institution", 0.05, "52", "东莞市{w}职业培训学校"),
    ("research_institute", 0.02, "12", "东莞{w}{i}研究院"),
    ("industry_association", 0.02, "51", "东莞市{i}行业协会{w}分会"),
    ("other", 0.015, "91", "东莞市{w}人力资源服务有限公司"),
]
# Skill levels among skilled workers (§11: 34.14% at level 3 or higher); None = special ability only.
LEVEL_VALUES = np.array([1, 2, 3, 4, 5, 0])
LEVEL_SHARES = np.array([0.015, 0.055, 0.265, 0.33, 0.275, 0.06])


@dataclass(frozen=True)
class GenerateResult:
    organisations: int
    workers: int
    skill_records: int
    seconds: float

    @property
    def workers_per_second(self) -> float:
        return self.workers / self.seconds if self.seconds else 0.0


def _rng(seed: int, *parts: int) -> np.random.Generator:
    return np.random.default_rng([seed, *parts])


def _uscc(prefix: str, serial: int) -> str:
    body = ""
    n = serial
    for _ in range(9):
        body = USCC_ALPHABET[n % 31] + body
        n //= 31
    first17 = f"{prefix}441900{body}"
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def _id_check_chars(first17: np.ndarray) -> np.ndarray:
    """GB 11643-1999 check characters for an int64 array of 17-digit numbers, vectorised."""
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
    digits = np.empty((first17.size, 17), dtype=np.int64)
    rest = first17.copy()
    for i in range(16, -1, -1):
        digits[:, i] = rest % 10
        rest //= 10
    return np.array(list("10X98765432"))[(digits @ weights) % 11]


def _names(rng: np.random.Generator, male: np.ndarray) -> list[str]:
    n = male.size
    surnames = np.array(SURNAMES)[rng.choice(len(SURNAMES), n, p=SURNAME_WEIGHTS / SURNAME_WEIGHTS.sum())]
    male_pool, female_pool = np.array(MALE_CHARS), np.array(FEMALE_CHARS)
    first = np.where(
        male, male_pool[rng.integers(0, male_pool.size, n)], female_pool[rng.integers(0, female_pool.size, n)]
    )
    second = np.where(
        male, male_pool[rng.integers(0, male_pool.size, n)], female_pool[rng.integers(0, female_pool.size, n)]
    )
    two_chars = rng.random(n) < 0.7
    return [
        s + f + (t if two else "") for s, f, t, two in zip(surnames, first, second, two_chars, strict=True)
    ]


def _organisations(
    seed: int, count: int, towns: list[Town], industries: list[Industry]
) -> list[Organisation]:
    rng = _rng(seed, 1)
    weights = np.array([TOWN_WEIGHTS.get(t.name, 1) for t in towns], dtype=float)
    town_idx = rng.choice(len(towns), count, p=weights / weights.sum())
    shares = np.array([m[1] for m in ORG_MIX])
    mix_idx = rng.choice(len(ORG_MIX), count, p=shares / shares.sum())
    industry_idx = rng.integers(0, len(industries), count)
    word_idx = rng.integers(0, len(ORG_WORDS), (count, 2))
    sizes = np.clip(rng.lognormal(4.0, 1.1, count), 8, 20_000).astype(int)
    people = _names(rng, rng.random(2 * count) < 0.6)
    used_names: set[str] = set()
    organisations = []
    for i in range(count):
        category, _share, prefix, pattern = ORG_MIX[mix_idx[i]]
        industry = industries[industry_idx[i]]
        words = ORG_WORDS[word_idx[i, 0]] + ORG_WORDS[word_idx[i, 1]]
        name = pattern.format(w=words, i=INDUSTRY_WORDS.get(industry.code, "实业"))
        if name in used_names:
            name = name.replace("东莞", f"东莞{towns[town_idx[i]].name[:2]}", 1)
        if name in used_names:
            name = f"{name[:-4]}{i}{name[-4:]}"
        used_names.add(name)
        total = int(sizes[i])
        parts = rng.multinomial(
            total, [0.02, 0.06, 0.18, 0.2, 0.14, 0.04, 0.36]
        )  # levels 1-5, special, general
        managers = int(total * rng.uniform(0.05, 0.15))
        titles = rng.multinomial(int(total * rng.uniform(0.02, 0.12)), [0.15, 0.35, 0.5])
        organisations.append(
            Organisation(
                category=category,
                name=name,
                uscc=_uscc(prefix, seed * 7919 + i * 104_729 + 1),
                town=towns[town_idx[i]],
                industry=industry,
                legal_representative=people[2 * i],
                contact_person=people[2 * i + 1],
                mobile=f"1{rng.choice([3, 5, 7, 8, 9])}{rng.integers(0, 10**9):09d}",
                office_phone=f"0769-{rng.integers(2_000_0000, 9_000_0000)}",
                postcode="523000",
                address=f"{towns[town_idx[i]].name}{ORG_WORDS[word_idx[i, 1]]}路{int(rng.integers(1, 300))}号",
                total_staff=total,
                managers=managers,
                title_senior=int(titles[0]),
                title_intermediate=int(titles[1]),
                title_junior=int(titles[2]),
                level1_count=int(parts[0]),
                level2_count=int(parts[1]),
                level3_count=int(parts[2]),
                level4_count=int(parts[3]),
                level5_count=int(parts[4]),
                special_ability_count=int(parts[5]),
                general_workers=int(parts[6]),
            )
        )
    return organisations


@dataclass
class _WorkerChunk:
    rows: list[tuple[Any, ...]]
    records: list[tuple[Any, ...]]


def _worker_chunks(
    seed: int,
    total: int,
    first_id: int,
    towns: list[Town],
    orgs: list[Organisation],
    occupations: list[Occupation],
    first_record_id: int,
) -> Iterator[_WorkerChunk]:
    weights = np.array([TOWN_WEIGHTS.get(t.name, 1) for t in towns], dtype=float)
    town_p = weights / weights.sum()
    town_ids = np.array([t.pk for t in towns])
    # Employers by town, weighted by size: a worker mostly works in the town they are registered in.
    orgs_by_town: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for t in towns:
        members = [o for o in orgs if o.town_id == t.pk and o.category == "enterprise"]
        if members:
            sizes = np.array([o.total_staff for o in members], dtype=float)
            orgs_by_town[t.pk] = (np.array([o.pk for o in members]), sizes / sizes.sum())
    occupation_ids = np.array([o.pk for o in occupations])
    occupation_p = np.array([4.0 if o.programme == "manufacturing" else 1.5 for o in occupations])
    occupation_p /= occupation_p.sum()
    used = np.empty(0, dtype=np.int64)  # sorted 17-digit prefixes already issued
    today = np.datetime64(TODAY.isoformat())
    now = timezone.now().isoformat()
    record_id = first_record_id
    for chunk_no, start in enumerate(range(0, total, CHUNK)):
        n = min(CHUNK, total - start)
        rng = _rng(seed, 2, chunk_no)
        town_idx = rng.choice(len(towns), n, p=town_p)
        male = rng.random(n) < 0.56
        ages_days = rng.integers(18 * 365 + 5, 60 * 365, n)
        birth = today - ages_days.astype("timedelta64[D]")
        birth_str = np.datetime_as_string(birth, unit="D")
        birth_num = np.char.replace(birth_str, "-", "").astype(np.int64)
        region = REGIONS[rng.integers(0, REGIONS.size, n)].astype(np.int64)
        seq = rng.integers(0, 500, n) * 2 + male.astype(np.int64)  # 17th digit odd for men
        first17 = region * 10**11 + birth_num * 1000 + seq
        first17, used = _make_unique(first17, used)
        ids = np.char.add(first17.astype(str), _id_check_chars(first17)).tolist()
        names = _names(rng, male)
        phones = np.char.add(
            "1", (rng.choice([3, 5, 7, 8, 9], n) * 10**9 + rng.integers(0, 10**9, n)).astype(str)
        ).tolist()
        levels = LEVEL_VALUES[rng.choice(LEVEL_VALUES.size, n, p=LEVEL_SHARES)]
        employed = rng.random(n) < 0.9
        employer = np.full(n, -1, dtype=np.int64)
        pick = rng.random(n)
        for t_index, town in enumerate(towns):
            mask = (town_idx == t_index) & employed
            if town.pk in orgs_by_town and mask.any():
                pks, p = orgs_by_town[town.pk]
                employer[mask] = pks[np.minimum(np.searchsorted(np.cumsum(p), pick[mask]), pks.size - 1)]
        occupation = occupation_ids[rng.choice(occupation_ids.size, n, p=occupation_p)].tolist()
        obtained = np.datetime_as_string(
            today - rng.integers(30, 20 * 365, n).astype("timedelta64[D]"), unit="D"
        ).tolist()
        honour_draw = rng.random(n)
        title_draw = rng.random(n)
        worker_ids = list(range(first_id + start, first_id + start + n))
        level_list = [int(v) or None for v in levels.tolist()]
        rows = list(
            zip(
                worker_ids,
                names,
                ids,
                np.where(male, "M", "F").tolist(),
                birth_str.tolist(),
                phones,
                town_ids[town_idx].tolist(),
                [e if e >= 0 else None for e in employer.tolist()],
                level_list,
                [now] * n,
                [now] * n,
                strict=True,
            )
        )
        # Every worker holds one skill-level certificate, or (no level) a special ability.
        kinds = ["skill_level" if v else "special_ability" for v in level_list]
        record_ids = list(range(record_id, record_id + n))
        records = list(
            zip(
                record_ids,
                worker_ids,
                kinds,
                occupation,
                level_list,
                [""] * n,
                [""] * n,
                [""] * n,
                obtained,
                [""] * n,
                strict=True,
            )
        )
        record_id += n
        for i in np.flatnonzero(title_draw < 0.03).tolist():
            grade = ("senior", "intermediate", "junior")[int(title_draw[i] * 100) % 3]
            records.append(
                (record_id, worker_ids[i], "professional_title", None, None, grade, "", "", obtained[i], "")
            )
            record_id += 1
        for i in np.flatnonzero((levels > 0) & (levels <= 2) & (honour_draw < 0.02)).tolist():
            records.append(
                (
                    record_id,
                    worker_ids[i],
                    "honour",
                    None,
                    None,
                    "",
                    "dongguan_technical_expert",
                    "东莞市技术能手",
                    obtained[i],
                    "",
                )
            )
            record_id += 1
        yield _WorkerChunk(rows, records)


def _make_unique(first17: np.ndarray, used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bump the sequence digits (keeping the gender digit's parity) until no number repeats."""
    while True:
        order = np.argsort(first17, kind="stable")
        ordered = first17[order]
        repeat = np.zeros(first17.size, dtype=bool)
        repeat[order[1:]] = ordered[1:] == ordered[:-1]
        if used.size:
            position = np.minimum(np.searchsorted(used, first17), used.size - 1)
            repeat |= used[position] == first17
        if not repeat.any():
            return first17, np.sort(np.concatenate([used, first17]))
        bumped = first17[repeat]
        first17[repeat] = (bumped // 1000) * 1000 + (bumped % 1000 + 2) % 1000


WORKER_COLUMNS = (
    "id",
    "name",
    "id_number",
    "gender",
    "birth_date",
    "phone",
    "town_id",
    "employer_id",
    "highest_level",
    "created_at",
    "updated_at",
)
RECORD_COLUMNS = (
    "id",
    "worker_id",
    "kind",
    "occupation_id",
    "level",
    "title_grade",
    "honour",
    "name",
    "obtained_on",
    "certificate_number",
)


def _write(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            cursor.connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )


@contextlib.contextmanager
def _bulk_load_pragmas() -> Iterator[None]:
    """SQLite settings for a bulk load of generated rows (their keys are valid by construction):
    no per-row foreign-key lookups, a large page cache, no fsync per batch. Restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")
        # Write pages once, straight to the database file, instead of through the WAL and back.
        cursor.execute("PRAGMA journal_mode=MEMORY")
        # Indexes are dropped for the load and built once at the end (much faster than updating
        # them row by row). Rebuilding the unique index on id_number re-checks uniqueness, and the
        # generator makes numbers unique before writing (_make_unique).
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('registry_worker', 'registry_skillrecord')"
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA cache_size=-2000")


def _next_id(model: Any) -> int:
    last = model.objects.order_by("-id").values_list("id", flat=True).first()
    return (last or 0) + 1


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("registry_worker", "registry_skillrecord", "registry_organisation"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"
            )


def generate_city(
    *,
    seed: int,
    scale: str,
    progress: bool = True,
    workers: int | None = None,
    organisations: int | None = None,
) -> GenerateResult:
    """Build the synthetic city into the (empty) registry."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}")
    n_workers, n_orgs = SCALES[scale]
    n_workers = workers if workers is not None else n_workers
    n_orgs = organisations if organisations is not None else n_orgs
    towns = list(Town.objects.order_by("sort_order", "code"))
    industries = list(Industry.objects.order_by("sort_order", "code"))
    occupations = list(Occupation.objects.filter(has_levels=True).order_by("code"))
    if not towns or not industries or not occupations:
        raise RuntimeError("reference data missing: run `skillcity migrate` first")
    started = time.perf_counter()
    bar = _progress(progress)
    with bar:
        org_task = bar.add_task("单位 organisations", total=n_orgs)
        with transaction.atomic():
            orgs = Organisation.objects.bulk_create(
                _organisations(seed, n_orgs, towns, industries), batch_size=1000
            )
        if connection.vendor == "postgresql" or not orgs or orgs[0].pk is None:
            orgs = list(Organisation.objects.order_by("id"))
        bar.update(org_task, completed=n_orgs)
        worker_task = bar.add_task("劳动者 workers", total=n_workers)
        records = 0
        first_id, first_record = _next_id(Worker), _next_id(SkillRecord)
        with _bulk_load_pragmas():
            for chunk in _worker_chunks(seed, n_workers, first_id, towns, orgs, occupations, first_record):
                with transaction.atomic():
                    _write("registry_worker", WORKER_COLUMNS, chunk.rows)
                    _write("registry_skillrecord", RECORD_COLUMNS, chunk.records)
                records += len(chunk.records)
                bar.update(worker_task, advance=len(chunk.rows))
        _reset_sequences()
    seconds = time.perf_counter() - started
    result = GenerateResult(len(orgs), n_workers, records, seconds)
    with transaction.atomic():
        audit_record(
            actor="generate",
            action="registry.generate",
            target_type="registry.city",
            target_id=seed,
            after={
                "seed": seed,
                "scale": scale,
                "organisations": result.organisations,
                "workers": result.workers,
                "skill_records": result.skill_records,
            },
        )
    return result


def _progress(enabled: bool) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
    )
