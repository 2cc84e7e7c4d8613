package id.layanan.presentation

import id.layanan.core.ErrorCode
import id.layanan.core.OutboxErrorCode
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** The strings table and the outbox advice: complete, and the same shape in both languages. */
class StringsTest {
    private fun placeholders(s: String) = Regex("%s").findAll(s).count()

    @Test fun everyStringExistsInBothLanguagesWithTheSamePlaceholders() {
        for (m in Msg.entries) {
            assertTrue("$m has no Indonesian", m.id.isNotBlank())
            assertTrue("$m has no English", m.en.isNotBlank())
            assertEquals("$m: placeholders differ", placeholders(m.id), placeholders(m.en))
        }
        val untranslated = Msg.entries.filter { it.id == it.en && placeholders(it.id) == 0 }
        assertEquals("identical in both languages: $untranslated", emptyList<Msg>(), untranslated)
        val s = Strings.of(Language.ENGLISH)
        assertEquals("Page 2 of 9", s.format(Msg.PAGE_OF, 2, 9))
        assertEquals("Halaman 2 dari 9", Strings.of(Language.INDONESIAN).format(Msg.PAGE_OF, 2, 9))
        assertEquals(Language.INDONESIAN, Language.of(null))
        assertEquals(Language.INDONESIAN, Language.of("fr"))
        assertEquals(Language.ENGLISH, Language.of("en"))
    }

    @Test fun everyOutboxErrorHasAnActionAndTheRefusalsAreNotRetriedBlindly() {
        val all = ErrorCode.entries.map { OutboxErrorCode.Server(it) } + listOf(
            OutboxErrorCode.Network, OutboxErrorCode.BadAnswer, OutboxErrorCode.CaptivePortal,
            OutboxErrorCode.Incomplete, OutboxErrorCode.ReceiptInvalid, OutboxErrorCode.AttachmentDamaged,
            OutboxErrorCode.Http(502u), OutboxErrorCode.Http(413u),
        )
        val actions = all.associateWith(::actionFor)
        assertEquals(OutboxAction.SMALLER_PHOTO, actions[OutboxErrorCode.Http(413u)])
        assertEquals(OutboxAction.SMALLER_PHOTO, actions[OutboxErrorCode.Server(ErrorCode.PAYLOAD_TOO_LARGE)])
        assertEquals(OutboxAction.FIX_FORM, actions[OutboxErrorCode.Server(ErrorCode.INVALID_SUBMISSION)])
        assertEquals(OutboxAction.SIGN_IN, actions[OutboxErrorCode.Server(ErrorCode.TOKEN_EXPIRED)])
        assertEquals(OutboxAction.AUTOMATIC, actions[OutboxErrorCode.Network])
        assertEquals(OutboxAction.CONTACT_SUPPORT, actions[OutboxErrorCode.Server(ErrorCode.INSTANCE_ID_CONFLICT)])
        // Resending the same bytes cannot fix a refusal of their content.
        assertEquals(OutboxAction.RETAKE_PHOTO, actions[OutboxErrorCode.AttachmentDamaged])
        for (a in listOf(OutboxAction.FIX_FORM, OutboxAction.SMALLER_PHOTO, OutboxAction.RETAKE_PHOTO)) assertTrue(!a.canRetry)
        assertEquals(
            "every action is used by some code",
            OutboxAction.entries.toSet(), actions.values.toSet(),
        )
    }
}
