package id.layanan.android

import android.app.Notification
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import id.layanan.presentation.LocalNotification
import id.layanan.presentation.Notifier

/**
 * Shows the agency's decisions as local notifications (the texts come from the
 * presentation layer, in the app's language). [newBuilder] lets the app pass a
 * builder with its notification channel on API 26+ (`Notification.Builder(context,
 * channelId)`, which the API 23 jar does not have); [openIntent] opens the
 * submission's timeline when tapped.
 */
class StatusNotifier(
    private val context: Context,
    private val smallIcon: Int,
    private val newBuilder: (Context) -> Notification.Builder,
    private val openIntent: (instanceId: String) -> PendingIntent,
) : Notifier {
    override fun show(notification: LocalNotification) {
        val shown = newBuilder(context)
            .setSmallIcon(smallIcon)
            .setContentTitle(notification.title)
            .setContentText(notification.text)
            .setStyle(Notification.BigTextStyle().bigText(notification.text))
            .setContentIntent(openIntent(notification.instanceId))
            .setAutoCancel(true)
            .setCategory(Notification.CATEGORY_STATUS)
            .build()
        val manager = context.getSystemService(Context.NOTIFICATION_SERVICE) as NotificationManager
        // The event id is stable: the same decision never shows twice.
        manager.notify(TAG, notification.id.toInt(), shown)
    }

    private companion object {
        const val TAG = "layanan.status"
    }
}
