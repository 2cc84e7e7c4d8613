package id.layanan.app

import android.app.Application
import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Intent
import android.os.Build
import id.layanan.android.KeystoreDeviceKeys
import id.layanan.android.LayananHost
import id.layanan.android.NetworkMonitor
import id.layanan.android.StatusNotifier
import id.layanan.android.SyncJobs
import id.layanan.presentation.AppConfig
import id.layanan.presentation.FilePreferences
import id.layanan.presentation.LayananApp
import java.io.File
import java.util.TimeZone

/** Holds the process's [LayananApp] and wires the Android adapters into it. */
class LayananApplication : Application(), LayananHost {
    val authenticator = BiometricAuthenticator()

    override val layanan: LayananApp by lazy {
        LayananApp(
            AppConfig(
                dataDir = File(filesDir, "layanan").path,
                serverUrl = BuildConfig.SERVER_URL,
                agencyKeyHex = BuildConfig.AGENCY_KEY_HEX,
                preferences = FilePreferences(File(filesDir, "layanan.properties")),
                deviceKeys = KeystoreDeviceKeys(this, authenticator),
                utcOffsetMinutes = { TimeZone.getDefault().getOffset(System.currentTimeMillis()) / 60_000 },
                scheduler = SyncJobs(this),
                notifier = StatusNotifier(this, android.R.drawable.stat_notify_sync, ::notificationBuilder, ::openStatus),
            ),
        )
    }

    override fun onCreate() {
        super.onCreate()
        if (Build.VERSION.SDK_INT >= 26) {
            getSystemService(NotificationManager::class.java).createNotificationChannel(
                NotificationChannel(CHANNEL, "Status", NotificationManager.IMPORTANCE_DEFAULT),
            )
        }
        NetworkMonitor(this, layanan).start()
    }

    private fun notificationBuilder(context: android.content.Context): Notification.Builder =
        if (Build.VERSION.SDK_INT >= 26) Notification.Builder(context, CHANNEL) else @Suppress("DEPRECATION") Notification.Builder(context)

    private fun openStatus(instanceId: String): PendingIntent = PendingIntent.getActivity(
        this, instanceId.hashCode(),
        Intent(this, MainActivity::class.java).putExtra(MainActivity.EXTRA_INSTANCE, instanceId),
        PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
    )

    private companion object {
        const val CHANNEL = "status"
    }
}
