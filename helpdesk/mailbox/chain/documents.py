"""Personal documents (invoices, a data export) go in a NEW message to the invoice address on the
identified resident's record, never as attachments of the reply to whoever wrote: ``From:`` alone
never earns a document. The reply says where they went, or that they cannot go by e-mail here."""

from __future__ import annotations

from helpdesk.core.redaction import mask_email
from helpdesk.mailbox.chain.base import Decision, Incoming
from helpdesk.mailbox.outgoing import enqueue_email_reply
from helpdesk.mailbox.render import translator


class Documents:
    name = "documents"
    description = "documents the handlers return go in a separate mail to the registered invoice address"

    async def act(self, incoming: Incoming) -> Decision | None:
        reply, who = incoming.reply, incoming.who
        if reply is None or not reply.documents or incoming.silenced_by is not None:
            return None
        translate = translator(reply.language)
        target = who.invoice_email
        if not target or not who.resident_id or reply.resident_id != who.resident_id:
            incoming.notes.append(
                translate(
                    "We cannot send documents by e-mail to this address. Please download them in the portal."
                )
            )
            return None
        await enqueue_email_reply(
            incoming.session,
            to=target,
            subject=translate("Your documents from Klientiem.lv"),
            body_text="\n\n".join(document.caption for document in reply.documents if document.caption)
            or translate("The documents you asked for are attached."),
            language=reply.language,
            attachments=reply.documents,
            dedupe_key=f"{incoming.position.key}:documents",
            request_id=reply.request_id,
            resident_id=who.resident_id,
        )
        incoming.notes.append(
            translate(
                "We sent the document in a separate e-mail to the invoice address registered on your "
                "account ({address})."
            ).format(address=mask_email(target))
        )
        return None


UNITS = (Documents(),)
