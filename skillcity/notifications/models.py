"""In-app notifications (the bell in the navbar) and the SMS messages sent for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    APPLICATION_RETURNED = "application_returned", _("申请被退回修改")
    APPLICATION_APPROVED = "application_approved", _("申请已核准")
    APPLICATION_PAID = "application_paid", _("补贴已拨付")
    VOUCHER_EXPIRING = "voucher_expiring", _("培训券即将到期")
    POLICY_EXPIRING = "policy_expiring", _("政策即将到期")
    APPLICATION_MADE = "application_made", _("已为您生成补贴申请")
    TITLE_AWARDED = "title_awarded", _("获授称号")
    TITLE_REVOKED = "title_revoked", _("称号被撤销")
    TALENT_CARD_REVOKED = "talent_card_revoked", _("优才卡已撤销")
    RENT_SCHEDULE_ENDED = "rent_schedule_ended", _("租房补贴停发")


class Notification(models.Model):
    """One message to one user. `key` names the event it reports, so a retried job or a replayed
    request never tells anyone twice (unique per user)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(_("类型"), max_length=32, choices=NotificationKind.choices)
    key = models.CharField(max_length=100)
    # What the message says is rendered when it is shown (skillcity.notifications.messages), in the
    # reader's language, from the kind and these values.
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    WORKER_FIELD = None
    TOWN_FIELD = None
    ORGANISATION_FIELD = None

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息通知")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def title(self) -> str:
        from skillcity.notifications.messages import notification_title

        return notification_title(self.kind, self.params)

    @property
    def text(self) -> str:
        from skillcity.notifications.messages import notification_text

        return notification_text(self.kind, self.params)


class SmsMessage(models.Model):
    """What the simulated SMS adapter 'sent' (skillcity.notifications.sms.SimulatedSmsSender)."""

    phone = models.CharField(max_length=20)
    text = models.CharField(max_length=500)
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.phone[:3]}… {self.text[:20]}"
