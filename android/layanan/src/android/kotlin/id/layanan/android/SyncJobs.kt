package id.layanan.android

import android.app.job.JobInfo
import android.app.job.JobScheduler
import android.content.ComponentName
import android.content.Context
import id.layanan.presentation.BackgroundScheduler

/**
 * Schedules [SyncJobService] through the framework's JobScheduler (API 21+; no
 * androidx needed): when the network allows (unmetered only when the profile says
 * Wi-Fi only), with exponential backoff, kept across reboots. Scheduling again
 * replaces the pending job, so the constraint always follows the latest setting.
 */
class SyncJobs(private val context: Context) : BackgroundScheduler {
    override fun schedule(wifiOnly: Boolean) {
        val job = JobInfo.Builder(JOB_ID, ComponentName(context, SyncJobService::class.java))
            .setRequiredNetworkType(if (wifiOnly) JobInfo.NETWORK_TYPE_UNMETERED else JobInfo.NETWORK_TYPE_ANY)
            .setBackoffCriteria(BACKOFF_MS, JobInfo.BACKOFF_POLICY_EXPONENTIAL)
            .setPersisted(true)
            .build()
        (context.getSystemService(Context.JOB_SCHEDULER_SERVICE) as JobScheduler).schedule(job)
    }

    companion object {
        const val JOB_ID = 0x4c59 // "LY"
        const val BACKOFF_MS = 30_000L
    }
}
