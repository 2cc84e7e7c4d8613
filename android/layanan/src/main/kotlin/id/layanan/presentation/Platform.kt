package id.layanan.presentation

/**
 * Asks the platform to run the background sync job when the network allows
 * (Android: JobScheduler, `id.layanan.android.SyncJobs`). Called whenever something
 * waits to be sent; [wifiOnly] is the profile's stored setting, which the job's
 * network constraint follows.
 */
fun interface BackgroundScheduler {
    fun schedule(wifiOnly: Boolean)
}

/** A local notification, already in the app's language. */
data class LocalNotification(
    /** The core's status event id: stable, so showing one twice replaces it. */
    val id: Long,
    val instanceId: String,
    val title: String,
    val text: String,
)

/** Shows local notifications (Android: `id.layanan.android.StatusNotifier`). */
fun interface Notifier {
    fun show(notification: LocalNotification)
}
