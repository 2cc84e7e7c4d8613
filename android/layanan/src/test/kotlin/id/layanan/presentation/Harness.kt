package id.layanan.presentation

import id.layanan.core.InMemoryKeys
import id.layanan.core.KeyVault
import id.layanan.core.TestServer
import id.layanan.core.VaultException
import id.layanan.vault.AesGcmKeyVault
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.Collections
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.withTimeout

/** What the citizen does at the biometric prompt. */
enum class Touch { ACCEPT, CANCEL }

/**
 * The phone's key store on the JVM: real AES-GCM wrapping (the same [AesGcmKeyVault]
 * the app uses over Android Keystore) with the keys in memory, and a biometric prompt
 * the test answers through [touches]. [keys] outlives an app "kill" (a new
 * [LayananApp] on the same data), as Android Keystore does.
 */
class JvmDeviceKeys(override val biometricsAvailable: Boolean = true) : DeviceKeys {
    val keys = InMemoryKeys()
    val touches = Channel<Touch>(Channel.UNLIMITED)
    val prompts = Collections.synchronizedList(mutableListOf<String>())

    override fun vault(biometric: Boolean): KeyVault {
        val inner = AesGcmKeyVault(keys)
        if (!biometric) return inner
        return object : KeyVault by inner {
            override suspend fun unwrapKey(profileId: String, wrapped: ByteArray): ByteArray {
                prompts.add(profileId)
                // The prompt stays up until the test's citizen answers it.
                if (touches.receive() == Touch.CANCEL) {
                    throw VaultException.Unavailable("the citizen cancelled the prompt")
                }
                return inner.unwrapKey(profileId, wrapped)
            }
        }
    }
}

class RecordingScheduler : BackgroundScheduler {
    val calls = Collections.synchronizedList(mutableListOf<Boolean>())
    override fun schedule(wifiOnly: Boolean) { calls.add(wifiOnly) }
}

class RecordingNotifier : Notifier {
    val shown = Collections.synchronizedList(mutableListOf<LocalNotification>())
    override fun show(notification: LocalNotification) { shown.add(notification) }
}

/**
 * One phone: a data directory, its preferences file and key store. [launch] starts
 * the app on it (as a process start does); [kill] drops it without any goodbye.
 */
class Phone(val dir: File, val keys: JvmDeviceKeys = JvmDeviceKeys(), serverUrl: String = TestServer.url!!) {
    val scheduler = RecordingScheduler()
    val notifier = RecordingNotifier()
    private val agencyKey = TestServer.agencyKeyHex()
    var url: String = serverUrl
    var scope = newScope()
        private set

    fun launch(): LayananApp = LayananApp(
        AppConfig(
            dataDir = File(dir, "data").path,
            serverUrl = url,
            agencyKeyHex = agencyKey,
            preferences = FilePreferences(File(dir, "prefs.properties")),
            deviceKeys = keys,
            utcOffsetMinutes = { 420 },
            scheduler = scheduler,
            notifier = notifier,
        ),
    )

    /** The process dies: every model's coroutines stop, nothing is saved on the way out. */
    fun kill(app: LayananApp) {
        scope.cancel()
        app.close()
        scope = newScope()
    }

    fun shutdown() = scope.cancel()

    private fun newScope() = CoroutineScope(SupervisorJob() + Dispatchers.Default)
}

/** Waits (up to 30 s) until the model's state satisfies [ok]; returns that state. */
suspend fun <S> StateFlow<S>.until(what: String = "the expected state", ok: (S) -> Boolean): S =
    try {
        withTimeout(30_000) { first(ok) }
    } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
        throw AssertionError("timed out waiting for $what; last state: $value")
    }

/** Onboards a profile protected by the device key and returns the app at home. */
suspend fun onboard(phone: Phone, name: String = "Ibu", protection: Protection = Protection.DEVICE, pin: String = ""): LayananApp {
    val app = phone.launch()
    val nav = Navigator.start(app)
    val model = OnboardingModel(app, nav, phone.scope)
    model.setName(name)
    model.chooseProtection(protection)
    if (pin.isNotEmpty()) model.setPin(pin)
    model.create().join()
    nav.route.until("home") { it == Route.Home }
    return app
}

/** Signs the session in with the code the test server logs, and keeps the forms current. */
suspend fun signIn(app: LayananApp, phone: String) {
    val session = app.session.value!!
    TestServer.signIn(session.sync, phone)
    session.sync.updateForms()
}

/** The agency's officer, through the server's officer API (development mode token). */
object Officer {
    private val token: String by lazy {
        File(System.getenv("TEST_SERVER_DATA")!!, "keys/officer-token").readText().trim()
    }

    /** Moves [instanceId] to [state] (wire spelling: `in_review`, `approved`...) with [note]. */
    fun decide(instanceId: String, state: String, note: String? = null) {
        val body = if (note == null) """{"state":"$state"}""" else """{"state":"$state","note":"$note"}"""
        val response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("${TestServer.url}/v1/officer/submissions/$instanceId/status"))
                .header("Authorization", "Bearer $token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString(),
        )
        check(response.statusCode() == 200) { "officer API answered ${response.statusCode()}: ${response.body()}" }
    }
}
