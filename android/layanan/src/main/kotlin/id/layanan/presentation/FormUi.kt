package id.layanan.presentation

import id.layanan.core.FormChoice
import id.layanan.core.FormQuestion
import id.layanan.core.QuestionKind
import id.layanan.core.QuestionRange
import id.layanan.core.Spoken
import id.layanan.core.ValueType

/** A choice as drawn: its mark comes from [selected], its words for a screen reader from [spoken]. */
data class ChoiceUi(val value: String, val label: String, val selected: Boolean, val spoken: Spoken)

/**
 * A question as drawn. Everything comes from the core except [error] when the
 * citizen typed something of the wrong type (the core refused it, so it is not the
 * stored value): then [value] is what they typed and [spoken] says the error.
 */
data class QuestionUi(
    val path: String,
    val kind: QuestionKind,
    val valueType: ValueType,
    val label: String,
    val hint: String?,
    val guidance: String?,
    val appearance: String?,
    val mediaType: String?,
    val value: String,
    val required: Boolean,
    val readonly: Boolean,
    val error: String?,
    val choices: List<ChoiceUi>,
    val range: QuestionRange?,
    val spoken: Spoken,
)

internal fun FormQuestion.toUi(typed: String?, localError: String?, strings: Strings): QuestionUi = QuestionUi(
    path = path,
    kind = kind,
    valueType = valueType,
    label = label.trim(),
    hint = hint,
    guidance = guidance,
    appearance = appearance,
    mediaType = mediaType,
    value = typed ?: value,
    required = required,
    readonly = readonly,
    error = localError ?: error,
    choices = choices.map(FormChoice::toUi),
    range = range,
    spoken = if (localError != null && error == null) spoken.copy(hint = localError) else spoken,
)

private fun FormChoice.toUi() = ChoiceUi(value, label, selected, spoken)

/** The new value of a select-multiple question after tapping [choice]. */
internal fun toggled(current: String, choice: String): String {
    val values = current.split(' ').filter(String::isNotEmpty)
    return (if (choice in values) values - choice else values + choice).joinToString(" ")
}

/**
 * The file name a question's attachment is sent under: derived from the question's
 * path, so two questions never share one (`/data/member[2]/photo` becomes
 * `member2-photo.jpg`), and free of anything the citizen typed.
 */
internal fun attachmentName(path: String, mediaType: String): String {
    val base = path.trim('/').split('/').drop(1).joinToString("-") { it.replace("[", "").replace("]", "") }
    val ext = when (mediaType.lowercase()) {
        "image/jpeg", "image/jpg" -> "jpg"
        "image/png" -> "png"
        "image/webp" -> "webp"
        "application/pdf" -> "pdf"
        else -> "bin"
    }
    return "$base.$ext"
}

/** The repeat a page's instance belongs to: `/data/member[2]` is in `/data/member`. */
internal fun repeatOf(instance: String): String = instance.replace(Regex("\\[\\d+]$"), "")
