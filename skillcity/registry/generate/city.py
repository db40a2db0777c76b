"""The synthetic city's data: organisations, workers and their skill records, drawn with numpy.

Pure computation, no database access (except reading model instances passed in): the loader
(`load.py`) may run it in a child process while the parent writes earlier chunks. Every random draw
comes from a numpy generator seeded with (seed, part, chunk), so the same seed gives the same city
however the work is split between processes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from skillcity.core.validators import USCC_ALPHABET, USCC_WEIGHTS
from skillcity.registry.models import Industry, Occupation, Organisation, SkillRecord, Town

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

# Birthplace region codes (as numbers: they lead the 17-digit ID body): Dongguan, other Guangdong prefectures, and the provinces most of
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
).astype(np.int64)

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


def _id_check_chars(first17: np.ndarray) -> list[str]:
    """GB 11643-1999 check characters for an int64 array of 17-digit numbers, vectorised."""
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
    digits = np.empty((first17.size, 17), dtype=np.int64)
    rest = first17.copy()
    for i in range(16, -1, -1):
        digits[:, i] = rest % 10
        rest //= 10
    return np.array(list("10X98765432"))[(digits @ weights) % 11].tolist()


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
    second[rng.random(n) >= 0.7] = ""  # three people in ten have a one-character given name
    # Concatenate Python strings (tolist), not numpy scalars: several times faster per name.
    return [s + f + t for s, f, t in zip(surnames.tolist(), first.tolist(), second.tolist(), strict=True)]


def organisations(
    seed: int, count: int, towns: list[Town], industries: list[Industry], first_id: int
) -> list[Organisation]:
    """`count` organisations with ids from `first_id` (explicit, so workers can be drawn against
    them before they are written)."""
    rng = _rng(seed, 1)
    weights = np.array([TOWN_WEIGHTS.get(t.name, 1) for t in towns], dtype=float)
    town_idx = rng.choice(len(towns), count, p=weights / weights.sum())
    shares = np.array([m[1] for m in ORG_MIX])
    mix_idx = rng.choice(len(ORG_MIX), count, p=shares / shares.sum())
    industry_idx = rng.integers(0, len(industries), count)
    word_idx = rng.integers(0, len(ORG_WORDS), (count, 2))
    sizes = np.clip(rng.lognormal(4.0, 1.1, count), 8, 20_000).astype(int)
    people = _names(rng, rng.random(2 * count) < 0.6)
    # levels 1-5, special ability, general workers
    parts = rng.multinomial(sizes, [0.02, 0.06, 0.18, 0.2, 0.14, 0.04, 0.36]).tolist()
    managers = (sizes * rng.uniform(0.05, 0.15, count)).astype(int).tolist()
    titles = rng.multinomial((sizes * rng.uniform(0.02, 0.12, count)).astype(int), [0.15, 0.35, 0.5]).tolist()
    mobiles = (rng.choice([3, 5, 7, 8, 9], count) * 10**9 + rng.integers(0, 10**9, count)).tolist()
    office_phones = rng.integers(2_000_0000, 9_000_0000, count).tolist()
    street_numbers = rng.integers(1, 300, count).tolist()
    used_names: set[str] = set()
    result = []
    for i in range(count):
        category, _share, prefix, pattern = ORG_MIX[mix_idx[i]]
        industry = industries[industry_idx[i]]
        town = towns[town_idx[i]]
        words = ORG_WORDS[word_idx[i, 0]] + ORG_WORDS[word_idx[i, 1]]
        name = pattern.format(w=words, i=INDUSTRY_WORDS.get(industry.code, "实业"))
        if name in used_names:
            name = name.replace("东莞", f"东莞{town.name[:2]}", 1)
        if name in used_names:
            name = f"{name[:-4]}{i}{name[-4:]}"
        used_names.add(name)
        total, level_counts, title_counts = int(sizes[i]), parts[i], titles[i]
        result.append(
            Organisation(
                id=first_id + i,
                category=category,
                name=name,
                uscc=_uscc(prefix, seed * 7919 + i * 104_729 + 1),
                town=town,
                industry=industry,
                legal_representative=people[2 * i],
                contact_person=people[2 * i + 1],
                mobile=f"1{mobiles[i]}",
                office_phone=f"0769-{office_phones[i]}",
                postcode="523000",
                address=f"{town.name}{ORG_WORDS[word_idx[i, 1]]}路{street_numbers[i]}号",
                total_staff=total,
                managers=managers[i],
                title_senior=title_counts[0],
                title_intermediate=title_counts[1],
                title_junior=title_counts[2],
                level1_count=level_counts[0],
                level2_count=level_counts[1],
                level3_count=level_counts[2],
                level4_count=level_counts[3],
                level5_count=level_counts[4],
                special_ability_count=level_counts[5],
                general_workers=level_counts[6],
            )
        )
    return result


# Worker columns a chunk carries, in order; `id` is first_worker_id + position and the two
# timestamps are the run's start, so the loader adds those three.
WORKER_COLUMNS = (
    "name",
    "id_number",
    "gender",
    "birth_date",
    "phone",
    "town_id",
    "employer_id",
    "highest_level",
)
# Every worker holds one skill record: a skill-level certificate at their highest level, or (no
# level) a special ability. Its id is first_record_id + position, its worker the worker at the same
# position, its kind follows from the level; these are the columns that vary.
RECORD_COLUMNS = ("occupation_id", "level", "obtained_on")
# Further records (professional titles, honours), rare, carried whole after the per-worker ones.
EXTRA_RECORD_COLUMNS = ("id", "worker_id", "kind", "title_grade", "honour", "name", "obtained_on")


@dataclass
class WorkerChunk:
    """One chunk of workers and their skill records, as columns (lists, in the orders above)."""

    first_worker_id: int
    first_record_id: int
    workers: list[list[Any]]
    records: list[list[Any]]
    extra_records: list[tuple[Any, ...]]

    @property
    def size(self) -> int:
        return len(self.workers[0])

    @property
    def record_count(self) -> int:
        return self.size + len(self.extra_records)


def worker_chunks(
    *,
    seed: int,
    total: int,
    chunk_size: int,
    first_id: int,
    first_record_id: int,
    towns: list[Town],
    orgs: list[Organisation],
    occupations: list[Occupation],
) -> Iterator[WorkerChunk]:
    weights = np.array([TOWN_WEIGHTS.get(t.name, 1) for t in towns], dtype=float)
    town_p = weights / weights.sum()
    town_ids = np.array([t.pk for t in towns])
    # Employers by town, weighted by size: a worker mostly works in the town they are registered in.
    members: dict[int, list[Organisation]] = {}
    for o in orgs:
        if o.category == "enterprise":
            members.setdefault(o.town_id, []).append(o)
    employers_by_town: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for town_id, town_members in members.items():
        sizes = np.array([o.total_staff for o in town_members], dtype=float)
        employers_by_town[town_id] = (np.array([o.pk for o in town_members]), np.cumsum(sizes / sizes.sum()))
    occupation_ids = np.array([o.pk for o in occupations])
    occupation_p = np.array([4.0 if o.programme == "manufacturing" else 1.5 for o in occupations])
    occupation_p /= occupation_p.sum()
    used = np.empty(0, dtype=np.int64)  # sorted 17-digit prefixes already issued
    today = np.datetime64(TODAY.isoformat())
    record_id = first_record_id
    for chunk_no, start in enumerate(range(0, total, chunk_size)):
        n = min(chunk_size, total - start)
        rng = _rng(seed, 2, chunk_no)
        town_idx = rng.choice(len(towns), n, p=town_p)
        male = rng.random(n) < 0.56
        birth = today - rng.integers(18 * 365 + 5, 60 * 365, n).astype("timedelta64[D]")
        # YYYYMMDD as a number, by date arithmetic (parsing formatted strings back costs more).
        year, month = birth.astype("datetime64[Y]"), birth.astype("datetime64[M]")
        birth_num = (
            (year.astype(np.int64) + 1970) * 10_000
            + ((month - year).astype(np.int64) + 1) * 100
            + (birth - month).astype(np.int64)
            + 1
        )
        region = REGIONS[rng.integers(0, REGIONS.size, n)]
        seq = rng.integers(0, 500, n) * 2 + male.astype(np.int64)  # 17th digit odd for men
        first17 = region * 10**11 + birth_num * 1000 + seq
        first17, used = _make_unique(first17, used)
        ids = [
            f"{body}{check}" for body, check in zip(first17.tolist(), _id_check_chars(first17), strict=True)
        ]
        names = _names(rng, male)
        phones = (rng.choice([3, 5, 7, 8, 9], n) * 10**9 + rng.integers(0, 10**9, n) + 10**10).tolist()
        levels = LEVEL_VALUES[rng.choice(LEVEL_VALUES.size, n, p=LEVEL_SHARES)]
        employed = rng.random(n) < 0.9
        employer = np.full(n, -1, dtype=np.int64)
        pick = rng.random(n)
        for t_index, town in enumerate(towns):
            mask = (town_idx == t_index) & employed
            if town.pk in employers_by_town and mask.any():
                pks, cumulative = employers_by_town[town.pk]
                employer[mask] = pks[np.minimum(np.searchsorted(cumulative, pick[mask]), pks.size - 1)]
        occupation = occupation_ids[rng.choice(occupation_ids.size, n, p=occupation_p)].tolist()
        obtained = np.datetime_as_string(
            today - rng.integers(30, 20 * 365, n).astype("timedelta64[D]"), unit="D"
        ).tolist()
        honour_draw = rng.random(n)
        title_draw = rng.random(n)
        level_list = [v or None for v in levels.tolist()]
        workers = [
            names,
            ids,
            ["M" if m else "F" for m in male.tolist()],
            np.datetime_as_string(birth, unit="D").tolist(),
            [str(p) for p in phones],
            town_ids[town_idx].tolist(),
            [e if e >= 0 else None for e in employer.tolist()],
            level_list,
        ]
        chunk = WorkerChunk(
            first_worker_id=first_id + start,
            first_record_id=record_id,
            workers=workers,
            records=[occupation, level_list, obtained],
            extra_records=[],
        )
        record_id += n
        for i in np.flatnonzero(title_draw < 0.03).tolist():
            grade = ("senior", "intermediate", "junior")[int(title_draw[i] * 100) % 3]
            chunk.extra_records.append(
                (
                    record_id,
                    first_id + start + i,
                    SkillRecord.Kind.PROFESSIONAL_TITLE.value,
                    grade,
                    "",
                    "",
                    obtained[i],
                )
            )
            record_id += 1
        for i in np.flatnonzero((levels > 0) & (levels <= 2) & (honour_draw < 0.02)).tolist():
            chunk.extra_records.append(
                (
                    record_id,
                    first_id + start + i,
                    SkillRecord.Kind.HONOUR.value,
                    "",
                    "dongguan_technical_expert",
                    "东莞市技术能手",
                    obtained[i],
                )
            )
            record_id += 1
        yield chunk


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
