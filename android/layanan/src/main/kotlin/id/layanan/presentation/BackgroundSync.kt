package id.layanan.presentation

import id.layanan.core.StopReason
import id.layanan.core.SyncReport
import id.layanan.core.SyncRun

/** How a background run ended. */
sealed class BackgroundOutcome {
    /** No profile is unlocked (a biometric or PIN key needs the citizen): nothing ran. */
    object NeedsUnlock : BackgroundOutcome()

    /** The run ended; [notified] were shown; [reschedule] when work is left for later. */
    data class Ran(val report: SyncReport, val notified: List<LocalNotification>, val reschedule: Boolean) : BackgroundOutcome()
}

/**
 * The background sync job's logic, platform-free: run the unlocked profile's sync
 * for the job's time budget, show the decisions that arrived as notifications, and
 * say whether to reschedule. The platform's job (Android: `SyncJobService`) calls
 * [run] when the system starts it and [stop] when the system stops it, which
 * cancels this run only; what it was sending goes back to the queue.
 *
 * It syncs the profile the app holds unlocked. A profile behind a PIN or a biometric
 * prompt cannot be opened without the citizen, so with none unlocked the job does
 * nothing ([BackgroundOutcome.NeedsUnlock]; see android/README.md).
 */
class BackgroundSync(private val app: LayananApp, private val timeBudgetSecs: UInt) {
    @Volatile private var run: SyncRun? = null

    suspend fun run(): BackgroundOutcome {
        val session = app.session.value ?: return BackgroundOutcome.NeedsUnlock
        val started = session.sync.syncNow(timeBudgetSecs, null)
        run = started
        val report = try {
            started.report()
        } finally {
            run = null
        }
        val notified = publishPendingNotifications(app, session)
        val reschedule = report.remaining > 0u || report.stopped in RETRY_LATER
        return BackgroundOutcome.Ran(report, notified, reschedule)
    }

    /** The system took the job's time away: cancel the run (it reports `Cancelled`). */
    fun stop() {
        run?.cancel()
    }

    private companion object {
        val RETRY_LATER = setOf(
            StopReason.CANCELLED, StopReason.TIME_BUDGET, StopReason.SERVER_UNREACHABLE,
            StopReason.OFFLINE, StopReason.WAITING_FOR_UNMETERED,
        )
    }
}
