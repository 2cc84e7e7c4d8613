package id.layanan.presentation

import id.layanan.core.FormsException
import id.layanan.core.StoreException
import id.layanan.core.StoreFailure
import id.layanan.core.SyncException

/**
 * What the citizen reads when a call into the core fails, in [language]. The core's
 * own words are used where it has them (`userMessage`/`userMessageEn`); otherwise a
 * line of the strings table. Exhaustive over the core's error types, so a new
 * variant is a compile error here until it has a message.
 */
internal fun Throwable.userMessage(language: Language, protection: Protection? = null): String {
    val s = Strings.of(language)
    return when (this) {
        is StoreException -> s[storeMessage(this, protection)]
        is FormsException -> formsMessage(this, language)
        is SyncException -> syncMessage(this, language)
        else -> s[Msg.UNEXPECTED]
    }
}

private fun storeMessage(e: StoreException, protection: Protection?): Msg = when (e) {
    is StoreException.WrongKey -> if (protection == Protection.PIN) Msg.WRONG_PIN else Msg.WRONG_DEVICE_KEY
    is StoreException.KeyUnavailable -> Msg.PROMPT_CANCELLED
    is StoreException.KeyLost -> Msg.KEY_LOST
    is StoreException.Corrupt, is StoreException.DatabaseDamaged, is StoreException.SchemaTooNew -> Msg.PROFILE_DAMAGED
    is StoreException.DiskFull -> Msg.DISK_FULL
    is StoreException.Damaged -> Msg.PROFILE_DAMAGED
    is StoreException.WipePending -> Msg.WIPE_PENDING
    is StoreException.Locked, is StoreException.NotFound, is StoreException.InvalidInput,
    is StoreException.Storage, is StoreException.Internal -> Msg.UNEXPECTED
}

private fun failureMessage(f: StoreFailure): Msg = when (f) {
    is StoreFailure.KeyUnavailable -> Msg.PROMPT_CANCELLED
    is StoreFailure.KeyLost -> Msg.KEY_LOST
    is StoreFailure.DiskFull -> Msg.DISK_FULL
    is StoreFailure.Corrupt, is StoreFailure.DatabaseDamaged, is StoreFailure.Damaged -> Msg.PROFILE_DAMAGED
    is StoreFailure.Storage -> Msg.UNEXPECTED
}

private fun formsMessage(e: FormsException, language: Language): String {
    val s = Strings.of(language)
    return when (e) {
        is FormsException.InvalidValue -> language.pick(e.userMessage, e.userMessageEn)
        is FormsException.Invalid -> language.pick(e.userMessage, e.userMessageEn)
        is FormsException.MediaTypeRefused -> language.pick(e.userMessage, e.userMessageEn)
        is FormsException.FileNameInUse -> language.pick(e.userMessage, e.userMessageEn)
        is FormsException.MissingFile -> language.pick(e.userMessage, e.userMessageEn)
        is FormsException.NotAnImage -> language.pick(e.userMessage, e.userMessageEn)
        is FormsException.DamagedFile -> language.pick(e.userMessage, e.userMessageEn)
        is FormsException.FormNotOffline -> s[Msg.FORM_NOT_OFFLINE]
        is FormsException.FormMismatch -> s[Msg.FORM_CHANGED]
        is FormsException.Finalized -> s[Msg.FORM_FINALIZED]
        is FormsException.Store -> s[failureMessage(e.failure)]
        is FormsException.InvalidForm, is FormsException.UnknownPath, is FormsException.ReadOnly,
        is FormsException.UnknownLanguage, is FormsException.RepeatFixed, is FormsException.NotAFileQuestion,
        is FormsException.DraftNotFound, is FormsException.Locked, is FormsException.InvalidInput,
        is FormsException.Internal -> s[Msg.UNEXPECTED]
    }
}

private fun syncMessage(e: SyncException, language: Language): String {
    val s = Strings.of(language)
    return when (e) {
        is SyncException.Refused -> language.pick(e.userMessage, e.userMessageEn)
        is SyncException.NotOpenRosa -> language.pick(e.userMessage, e.userMessageEn)
        is SyncException.Network -> s[Msg.SIGN_IN_NETWORK]
        is SyncException.NotSignedIn -> s[Msg.SYNC_SIGN_IN]
        is SyncException.Store -> s[failureMessage(e.failure)]
        is SyncException.Locked, is SyncException.InvalidInput, is SyncException.Internal -> s[Msg.UNEXPECTED]
    }
}

/** Runs [block]; an exception other than cancellation goes to [onError]. */
internal inline fun <T> catching(onError: (Exception) -> T, block: () -> T): T =
    try {
        block()
    } catch (e: kotlinx.coroutines.CancellationException) {
        throw e
    } catch (e: Exception) {
        onError(e)
    }
