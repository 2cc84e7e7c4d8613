package id.layanan.core

import id.layanan.flow.ProfileUpdates
import id.layanan.vault.AesGcmKeyVault
import java.io.File
import java.nio.file.Files
import java.util.Collections
import java.util.UUID
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assume.assumeTrue
import org.junit.Before
import org.junit.Test

class RecordingListener : SyncListener {
    val events: MutableList<SyncEvent> = Collections.synchronizedList(mutableListOf())
    val firstUpload = CompletableDeferred<Unit>()
    override fun onEvent(event: SyncEvent) {
        events.add(event)
        if (event is SyncEvent.Upload) firstUpload.complete(Unit)
    }
}

/** A JPEG header (SOI, JFIF, a 640 x 480 baseline SOF0) and `size` bytes in all: the core checks a photo is a photo. */
fun jpegStandIn(size: Int): ByteArray {
    val header = intArrayOf(
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00,
    )
    return ByteArray(maxOf(size, header.size)) { if (it < header.size) header[it].toByte() else (it % 251).toByte() }
}

/** What a screen offers for each outbox error: exhaustive, so a new code is a compile error. */
fun advice(code: OutboxErrorCode): String = when (code) {
    OutboxErrorCode.Network, OutboxErrorCode.BadAnswer, OutboxErrorCode.CaptivePortal,
    OutboxErrorCode.Incomplete -> "will be resent automatically"
    OutboxErrorCode.ReceiptInvalid -> "contact support"
    OutboxErrorCode.AttachmentDamaged -> "retake the photo, then re-attach it"
    is OutboxErrorCode.Http -> "the server refused (${code.status})"
    is OutboxErrorCode.Server -> when (code.code) {
        ErrorCode.UNKNOWN_FORM -> "this service no longer takes this form"
        ErrorCode.PAYLOAD_TOO_LARGE -> "make the photo smaller"
        ErrorCode.INVALID_SUBMISSION -> "fix the answers"
        ErrorCode.INSTANCE_ID_CONFLICT, ErrorCode.ATTACHMENT_CONFLICT -> "contact support"
        ErrorCode.RATE_LIMITED, ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.INTERNAL -> "will be resent"
        ErrorCode.UNAUTHORIZED, ErrorCode.TOKEN_EXPIRED, ErrorCode.REFRESH_TOKEN_REUSED,
        ErrorCode.CHALLENGE_EXPIRED -> "sign in again"
        ErrorCode.BAD_REQUEST, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.METHOD_NOT_ALLOWED,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.INVALID_PHONE, ErrorCode.INVALID_CODE,
        ErrorCode.UPLOAD_OFFSET_MISMATCH, ErrorCode.CHECKSUM_MISMATCH, ErrorCode.UPLOAD_INCOMPLETE,
        ErrorCode.INVALID_TRANSITION, ErrorCode.UNKNOWN -> "contact support"
    }
}

fun label(state: SubmissionState): String = when (state) {
    SubmissionState.RECEIVED -> "Diterima"
    SubmissionState.IN_REVIEW -> "Diperiksa"
    SubmissionState.NEEDS_FIX -> "Perlu diperbaiki"
    SubmissionState.APPROVED -> "Disetujui"
    SubmissionState.REJECTED -> "Ditolak"
}

fun why(stopped: StopReason?): String = when (stopped) {
    null -> "done"
    StopReason.SERVER_UNREACHABLE -> "server unreachable"
    StopReason.TIME_BUDGET -> "out of time"
    StopReason.SIGN_IN_REQUIRED -> "sign in"
    StopReason.OFFLINE -> "offline"
    StopReason.WAITING_FOR_UNMETERED -> "waiting for Wi-Fi"
    StopReason.CANCELLED -> "cancelled"
}

/**
 * The citizen's journey through the outbox, from Kotlin, against the real reference
 * server started by tests/kotlin/run.sh, through a real TCP proxy that throttles and
 * cuts connections.
 */
class SyncServiceTest {
    private val serverUrl = TestServer.url
    private lateinit var dir: File

    @Before fun setUp() {
        assumeTrue("run through tests/kotlin/run.sh, which starts the server", serverUrl != null)
        dir = Files.createTempDirectory("layanan-kt-sync").toFile()
    }

    @After fun tearDown() { if (::dir.isInitialized) dir.deleteRecursively() }

    /** Fills the domisili form with a name and a photo and puts it in the outbox. */
    private suspend fun fileDomisili(profile: Profile, formId: String, nama: String, photoBytes: Int): String {
        val form = FormSession.start(profile, formId, "id", 420)
        form.answer("/data/nama", nama)
        val photo = File(dir, "foto-${UUID.randomUUID()}.jpg").apply {
            writeBytes(jpegStandIn(photoBytes))
        }
        form.attachFile("/data/foto_ktp", "foto.jpg", "image/jpeg", photo.path)
        photo.delete()
        val item = form.finalize()
        form.close()
        return item.instanceId
    }

    private suspend fun signedIn(profile: Profile, url: String, phone: String): SyncService {
        val sync = SyncService(profile, url, TestServer.agencyKeyHex())
        TestServer.signIn(sync, phone)
        sync.updateForms()
        return sync
    }

    @Test fun theOutboxStreamShowsQueuedSendingSentThroughADroppedConnection() = runBlocking {
        LinkProxy(serverUrl!!, dropAfterBytes = 100_000).use { link ->
            ProfileStore.open(File(dir, "data").path).use { store ->
                val profile = store.createProfile("Warga", AesGcmKeyVault(InMemoryKeys()))
                val sync = signedIn(profile, link.url, "081234567890")
                val first = fileDomisili(profile, "domisili", "Siti Rahayu", 150_000)
                val second = fileDomisili(profile, "domisili", "Budi Santoso", 90_000)

                // A screen: subscribes once, then only collects.
                val updates = ProfileUpdates.of(profile)
                assertEquals(listOf(first, second), updates.outbox.value.map { it.instanceId })
                val seen = Collections.synchronizedList(mutableListOf<List<OutboxItem>>())
                val screen = launch(Dispatchers.Default) { updates.outboxHistory.collect { seen.add(it) } }

                val report = sync.syncNow(120u, null).report()
                assertEquals(2u, report.sent)
                assertTrue("the link dropped a connection", link.dropCount >= 1)
                withTimeout(10_000) {
                    updates.outbox.first { items -> items.all { it.state == OutboxState.SENT } }
                }
                screen.cancel()

                for (id in listOf(first, second)) {
                    val states = seen.mapNotNull { list -> list.firstOrNull { it.instanceId == id }?.state }
                        .fold(mutableListOf<OutboxState>()) { acc, s -> if (acc.lastOrNull() != s) acc.add(s); acc }
                    assertEquals("$id: $states", OutboxState.QUEUED, states.first())
                    assertEquals("$id: $states", OutboxState.SENT, states.last())
                    val sending = states.indexOf(OutboxState.SENDING)
                    assertTrue("$id passed through sending: $states", sending in 1 until states.size - 1)
                }
                // The run's progress reached the subscriber too, without a listener of its own.
                withTimeout(10_000) { updates.sync.first { it is SyncEvent.Finished } }
                updates.close()
                profile.close()
            }
        }
    }

    @Test fun cancellingOneRunByItsHandleLeavesAnotherRunAlone() = runBlocking {
        LinkProxy(serverUrl!!, bytesPerSecond = 60_000).use { slow ->
            ProfileStore.open(File(dir, "data").path).use { store ->
                val ibu = store.createProfile("Ibu", AesGcmKeyVault(InMemoryKeys()))
                val bapak = store.createProfile("Bapak", AesGcmKeyVault(InMemoryKeys()))
                val syncIbu = signedIn(ibu, slow.url, "081234567891")
                val syncBapak = signedIn(bapak, serverUrl, "081234567892")
                val ibuItem = fileDomisili(ibu, "domisili", "Ibu Sri", 240_000)
                val bapakItem = fileDomisili(bapak, "domisili", "Pak Joko", 40_000)

                val listener = RecordingListener()
                val runIbu = syncIbu.syncNow(120u, listener)
                val runBapak = syncBapak.syncNow(120u, null)
                withTimeout(30_000) { listener.firstUpload.await() }
                runIbu.cancel()

                val cancelled = runIbu.report()
                assertEquals(StopReason.CANCELLED, cancelled.stopped)
                assertEquals("cancelled", why(cancelled.stopped))
                assertEquals(0u, cancelled.sent)
                assertTrue(runIbu.isFinished())
                assertEquals("back in the queue", OutboxState.QUEUED, ibu.outbox().item(ibuItem).state)

                val other = runBapak.report()
                assertNull(other.stopped)
                assertEquals(1u, other.sent)
                assertEquals(OutboxState.SENT, bapak.outbox().item(bapakItem).state)

                // The next run finishes what the cancelled one left, once.
                val resumed = syncIbu.syncNow(120u, null).report()
                assertEquals(1u, resumed.sent)
                val sent = ibu.outbox().item(ibuItem)
                assertEquals(OutboxState.SENT, sent.state)
                assertEquals(SubmissionState.RECEIVED, sent.agencyState)
                assertEquals("Diterima", label(sent.agencyState!!))
                ibu.close(); bapak.close()
            }
        }
    }

    @Test fun aWithdrawnFormWedgesItsItemWithATypedCodeAndSettingsAreStored() = runBlocking {
        val fixture = File(File(System.getenv("TEST_FORMS_DIR")!!).parentFile, "domisili.xml")
        val formId = TestServer.publishCopy(fixture, "domisili", "domisili_" + UUID.randomUUID().toString().take(8))
        ProfileStore.open(File(dir, "data").path).use { store ->
            val profile = store.createProfile("Warga", AesGcmKeyVault(InMemoryKeys()))
            val sync = signedIn(profile, serverUrl!!, "081234567893")
            val good = fileDomisili(profile, "domisili", "Siti", 20_000)
            val poison = fileDomisili(profile, formId, "Budi", 20_000)
            TestServer.withdraw(formId)

            val report = sync.syncNow(60u, null).report()
            assertEquals(1u, report.sent)
            assertEquals(1u, report.wedged)
            assertEquals(0u, report.remaining)
            assertEquals(OutboxState.SENT, profile.outbox().item(good).state)
            val wedged = profile.outbox().item(poison)
            assertEquals(OutboxState.WEDGED, wedged.state)
            val error = assertNotNull(wedged.error).let { wedged.error!! }
            assertEquals(OutboxErrorCode.Server(ErrorCode.UNKNOWN_FORM), error.code)
            assertEquals("this service no longer takes this form", advice(error.code))
            assertTrue(error.message.isNotEmpty() && error.messageEn.isNotEmpty())

            // Offline: nothing is tried, nothing is lost.
            sync.setNetwork(NetworkState(connected = false, metered = false))
            assertEquals(StopReason.OFFLINE, sync.syncNow(60u, null).report().stopped)

            // "Wi-Fi only" is stored: a fresh service (a background job started cold)
            // on mobile data waits.
            profile.account().setSyncSettings(SyncSettings(wifiOnly = true))
            fileDomisili(profile, "domisili", "Ani", 10_000)
            val background = SyncService(profile, serverUrl, TestServer.agencyKeyHex())
            background.setNetwork(NetworkState(connected = true, metered = true))
            val waiting = background.syncNow(60u, null).report()
            assertEquals(StopReason.WAITING_FOR_UNMETERED, waiting.stopped)
            assertEquals(1u, waiting.remaining)
            profile.close()
        }
    }
}
