package id.layanan.android

import android.app.job.JobParameters
import android.app.job.JobService
import id.layanan.presentation.BackgroundOutcome
import id.layanan.presentation.BackgroundSync
import id.layanan.presentation.LayananApp
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch

/** The `Application` that holds the process's [LayananApp]. */
interface LayananHost {
    val layanan: LayananApp
}

/**
 * The background sync job: runs [BackgroundSync] (the tested logic) off the main
 * thread. The system stopping the job maps to `SyncRun.cancel()` through
 * [BackgroundSync.stop]; what was being sent goes back to the queue and the job asks
 * to be rescheduled. Declared in the manifest with BIND_JOB_SERVICE.
 */
class SyncJobService : JobService() {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    @Volatile private var running: BackgroundSync? = null

    override fun onStartJob(params: JobParameters): Boolean {
        val app = (application as LayananHost).layanan
        val sync = BackgroundSync(app, TIME_BUDGET_SECS)
        running = sync
        scope.launch {
            val outcome = sync.run()
            running = null
            val reschedule = outcome is BackgroundOutcome.Ran && outcome.reschedule
            jobFinished(params, reschedule)
        }
        return true // the work continues on the coroutine
    }

    override fun onStopJob(params: JobParameters): Boolean {
        running?.stop()
        return true // run again later: the cancelled run's items are queued
    }

    override fun onDestroy() {
        scope.cancel()
        super.onDestroy()
    }

    private companion object {
        /** JobScheduler gives a job about 10 minutes; stop well before. */
        const val TIME_BUDGET_SECS = 540u
    }
}
