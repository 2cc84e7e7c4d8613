package id.layanan.presentation

import id.layanan.core.ErrorCode
import id.layanan.core.OutboxErrorCode

/** What the citizen can do about an outbox item that did not go. */
enum class OutboxAction(val msg: Msg, val canRetry: Boolean) {
    /** Nothing: the core resends it by itself. */
    AUTOMATIC(Msg.ACTION_AUTOMATIC, canRetry = true),
    FIX_FORM(Msg.ACTION_FIX_FORM, canRetry = false),
    SMALLER_PHOTO(Msg.ACTION_SMALLER_PHOTO, canRetry = false),
    /** The sealed copy on the phone is damaged: only a new file (`Outbox.reattach`) helps. */
    RETAKE_PHOTO(Msg.ACTION_RETAKE_PHOTO, canRetry = false),
    SIGN_IN(Msg.ACTION_SIGN_IN, canRetry = true),
    /** Retrying is harmless: it wedges again until the agency publishes the form again. */
    FORM_WITHDRAWN(Msg.ACTION_FORM_WITHDRAWN, canRetry = true),
    CONTACT_SUPPORT(Msg.ACTION_CONTACT_SUPPORT, canRetry = true),
}

/**
 * The action for each error code the core reports. Exhaustive over the core's
 * enums: a new server code does not compile until it is given an action.
 */
fun actionFor(code: OutboxErrorCode): OutboxAction = when (code) {
    OutboxErrorCode.Network, OutboxErrorCode.BadAnswer, OutboxErrorCode.CaptivePortal,
    OutboxErrorCode.Incomplete -> OutboxAction.AUTOMATIC
    OutboxErrorCode.ReceiptInvalid -> OutboxAction.CONTACT_SUPPORT
    OutboxErrorCode.AttachmentDamaged -> OutboxAction.RETAKE_PHOTO
    is OutboxErrorCode.Http -> if (code.status.toInt() == 413) OutboxAction.SMALLER_PHOTO else OutboxAction.CONTACT_SUPPORT
    is OutboxErrorCode.Server -> when (code.code) {
        ErrorCode.UNKNOWN_FORM -> OutboxAction.FORM_WITHDRAWN
        ErrorCode.PAYLOAD_TOO_LARGE -> OutboxAction.SMALLER_PHOTO
        ErrorCode.INVALID_SUBMISSION -> OutboxAction.FIX_FORM
        ErrorCode.RATE_LIMITED, ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.INTERNAL -> OutboxAction.AUTOMATIC
        ErrorCode.UNAUTHORIZED, ErrorCode.TOKEN_EXPIRED, ErrorCode.REFRESH_TOKEN_REUSED,
        ErrorCode.CHALLENGE_EXPIRED -> OutboxAction.SIGN_IN
        ErrorCode.INSTANCE_ID_CONFLICT, ErrorCode.ATTACHMENT_CONFLICT, ErrorCode.BAD_REQUEST,
        ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.METHOD_NOT_ALLOWED,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.INVALID_PHONE, ErrorCode.INVALID_CODE,
        ErrorCode.UPLOAD_OFFSET_MISMATCH, ErrorCode.CHECKSUM_MISMATCH, ErrorCode.UPLOAD_INCOMPLETE,
        ErrorCode.INVALID_TRANSITION, ErrorCode.UNKNOWN -> OutboxAction.CONTACT_SUPPORT
    }
}
