"""Signals other apps listen to, sent where a worker's records change.

`basis_revoked`: a record that may have been the basis of something issued to the worker (a certificate,
a title) was revoked. Sent inside the revoking transaction, with `worker`, `actor` and `reason`; a
listener that fails rolls the revocation back. The talent card listens (talents.services.cards
.cards_recheck): the card is revoked when no basis remains. certification.services.certificate_revoke
sends it; a title revocation (competitions) sends it the same way.
"""

from __future__ import annotations

from django.dispatch import Signal

basis_revoked = Signal()
