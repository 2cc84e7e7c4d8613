package id.layanan.presentation

import id.layanan.core.StopReason
import id.layanan.core.SyncReport

/** One line about how a run ended, for the home and outbox screens. */
internal fun SyncReport.summary(strings: Strings): String = when (stopped) {
    null -> strings.format(Msg.SYNC_DONE, sent + duplicates)
    StopReason.OFFLINE -> strings[Msg.SYNC_OFFLINE]
    StopReason.WAITING_FOR_UNMETERED -> strings[Msg.SYNC_WAITING_WIFI]
    StopReason.SIGN_IN_REQUIRED -> strings[Msg.SYNC_SIGN_IN]
    StopReason.SERVER_UNREACHABLE -> strings[Msg.SYNC_UNREACHABLE]
    StopReason.TIME_BUDGET -> strings[Msg.SYNC_OUT_OF_TIME]
    StopReason.CANCELLED -> strings[Msg.SYNC_CANCELLED]
}

/** A run started from a screen ("send now"): long enough for a 2G upload. */
internal const val FOREGROUND_SYNC_SECS = 120u
