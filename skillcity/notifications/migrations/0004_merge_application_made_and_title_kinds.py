# Merges the competitions branches' two 0003 migrations (awards: application_made; titles: title kinds).
# Made on i15-people so that the merged branches migrate; the lead may replace it at merge.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_application_made_kind'),
        ('notifications', '0003_title_notification_kinds'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('application_returned', '申请被退回修改'), ('application_approved', '申请已核准'), ('application_paid', '补贴已拨付'), ('voucher_expiring', '培训券即将到期'), ('policy_expiring', '政策即将到期'), ('application_made', '已为您生成补贴申请'), ('title_awarded', '获授称号'), ('title_revoked', '称号被撤销')], max_length=32, verbose_name='类型'),
        ),
    ]
