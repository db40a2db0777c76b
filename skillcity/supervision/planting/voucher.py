"""Voucher patterns (SUP-VOUCHER): a provider redeeming 15 vouchers within one minute from workers who
live in a town far from it. Near-miss: 15 redemptions from its own town over two weeks."""

from __future__ import annotations

import datetime
from decimal import Decimal

from skillcity.supervision.planting import Case, Key, Planted, Planter, register_planter
from skillcity.supervision.planting.build import Plant

COUNT = 15
FACE = Decimal("500.00")
FAR = ("谢岗镇", "麻涌镇")  # the south-east and north-west corners of the city


def plant(p: Plant, cases: int, near: int) -> Planted:
    from skillcity.training.models import Redemption, Voucher, VoucherBatch, VoucherEvent, VoucherState

    done = Planted()
    by_name = {t.name: t for t in p.towns}
    home = by_name.get(FAR[0], p.towns[0])
    far = by_name.get(FAR[1], p.towns[-1])
    valid_from = datetime.date(p.today.year, 1, 1)
    batch = VoucherBatch.objects.create(
        name=f"{p.today.year}年职业技能培训券",
        face_value=FACE,
        valid_from=valid_from,
        valid_to=datetime.date(p.today.year, 12, 31),
        issued_count=0,
    )
    serial = 0
    for count, into, honest in ((cases, done.cases, False), (near, done.near_miss, True)):
        for _ in range(count):
            provider = p.organisation(town=home)
            workers = p.workers(
                [p.rng.uniform(20, 50) for _ in range(COUNT)], on=p.today, town=home if honest else far
            )
            vouchers = []
            for w in workers:
                serial += 1
                vouchers.append(
                    Voucher(
                        code=f"Q{p.tag:06d}{p.round:02d}{serial:06d}",
                        worker=w,
                        batch=batch,
                        town=w.town,
                        face_value=FACE,
                        valid_from=batch.valid_from,
                        valid_to=batch.valid_to,
                        state=VoucherState.REDEEMED,
                    )
                )
            vouchers = Voucher.objects.bulk_create(vouchers)
            day = p.day(5, 40)
            redemptions = Redemption.objects.bulk_create(
                Redemption(voucher=v, provider=provider, idempotency_key=f"r-{v.code}", amount=FACE)
                for v in vouchers
            )
            for n, r in enumerate(redemptions):
                r.redeemed_at = (
                    p.at(day + datetime.timedelta(days=n % 14), 10, p.rng.randrange(3600))
                    if honest
                    else p.at(day, 14, n * 4)
                )
            Redemption.objects.bulk_update(redemptions, ["redeemed_at"])
            VoucherEvent.objects.bulk_create(
                VoucherEvent(voucher=v, state=kind) for v in vouchers for kind in ("issued", "redeemed")
            )
            into.append(
                Case(
                    keys=(
                        Key(
                            "registry.organisation",
                            provider.pk,
                            tuple(("training.redemption", r.pk) for r in redemptions),
                        ),
                    ),
                    note=(
                        f"{home.name}的机构核销本镇 {COUNT} 张券，分布在两周内"
                        if honest
                        else f"{home.name}的机构 1 分钟内核销 {COUNT} 张{far.name}劳动者的券"
                    ),
                )
            )
    VoucherBatch.objects.filter(pk=batch.pk).update(issued_count=serial)
    return done


register_planter(
    Planter(
        kind="voucher",
        check_id="SUP-VOUCHER",
        describes="机构 1 分钟内集中核销 15 张远处镇街劳动者的培训券",
        counts={"city": (20, 10), "demo": (2, 1), "day": (1, 1)},
        plant=plant,
    )
)
