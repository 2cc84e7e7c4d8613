package id.layanan.presentation

import id.layanan.core.OutboxError
import id.layanan.core.StatusText

/**
 * The app's two languages. Bahasa Indonesia is the default; a form is shown in the
 * app's language when the form has it ([code] is what `FormSession.setLanguage`
 * takes), else in the form's default.
 */
enum class Language(val code: String) {
    INDONESIAN("id"),
    ENGLISH("en"),
    ;

    companion object {
        val DEFAULT = INDONESIAN

        /** The language stored as [code], or the default for anything else. */
        fun of(code: String?): Language = entries.firstOrNull { it.code == code } ?: DEFAULT
    }
}

/** The core's status words in [language] (the core gives both). */
fun StatusText.title(language: Language): String =
    if (language == Language.ENGLISH) titleEn else title

fun StatusText.detail(language: Language): String =
    if (language == Language.ENGLISH) detailEn else detail

/** An outbox error's message in [language]. */
fun OutboxError.message(language: Language): String =
    if (language == Language.ENGLISH) messageEn else message

/** Picks the Indonesian or the English of a pair the core sends. */
fun Language.pick(indonesian: String, english: String): String =
    if (this == Language.ENGLISH) english else indonesian
