package id.layanan.core

import id.layanan.vault.AesGcmKeyVault
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.util.Collections
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertTrue
import org.junit.Assume.assumeTrue
import org.junit.Before
import org.junit.Test

class RecordingListener : SyncListener {
    val events: MutableList<SyncEvent> = Collections.synchronizedList(mutableListOf())
    override fun onEvent(event: SyncEvent) { events.add(event) }
}

/**
 * The citizen's journey through the outbox, from Kotlin, against the real reference
 * server started by tests/kotlin/run.sh (TEST_SERVER_URL, TEST_SERVER_LOG).
 */
class SyncServiceTest {
    private val serverUrl = TestServer.url
    private lateinit var dir: File

    @Before fun setUp() {
        assumeTrue("run through tests/kotlin/run.sh, which starts the server", serverUrl != null)
        dir = Files.createTempDirectory("layanan-kt-sync").toFile()
    }

    @After fun tearDown() { if (::dir.isInitialized) dir.deleteRecursively() }

    private fun submission(instanceId: String, formId: String, nama: String, photo: String) =
        ("<?xml version=\"1.0\"?>\n<data id=\"$formId\" version=\"2026.1\" xmlns:orx=\"http://openrosa.org/xforms\">" +
            "<nama>$nama</nama><foto_ktp>$photo</foto_ktp><orx:meta><orx:instanceID>$instanceId</orx:instanceID></orx:meta></data>")
            .toByteArray()

    @Test fun finalizeSyncReceiptAndPoisonItem() = runBlocking {
        ProfileStore.open(File(dir, "data").path).use { store ->
            val profile = store.createProfile("Warga", AesGcmKeyVault(InMemoryKeys()))
            val sync = SyncService(profile, serverUrl!!, TestServer.agencyKeyHex())
            TestServer.signIn(sync, "081234567890")

            val photo = ByteArray(150_000) { (it % 251).toByte() }
            val photoFile = File(dir, "foto.jpg").apply { writeBytes(photo) }
            val draft = profile.createDraft("domisili", "2026.1", mapOf("/data/nama" to "Siti Rahayu"))
            profile.addAttachment(draft.id, "foto.jpg", "image/jpeg", photoFile.path)
            val good = "uuid:" + java.util.UUID.randomUUID()
            val queued = profile.finalizeDraft(draft.id, good, submission(good, "domisili", "Siti Rahayu", "foto.jpg"))
            assertEquals(OutboxState.QUEUED, queued.state)
            assertEquals(1u, queued.attachmentCount)

            val poisonDraft = profile.createDraft("tidak_ada", "1", emptyMap())
            val poison = "uuid:" + java.util.UUID.randomUUID()
            profile.finalizeDraft(poisonDraft.id, poison, submission(poison, "tidak_ada", "Budi", ""))

            val listener = RecordingListener()
            val report = sync.syncNow(60u, listener)
            assertEquals(1u, report.sent)
            assertEquals(1u, report.wedged)
            assertEquals(0u, report.remaining)

            val sent = profile.outboxItem(good)
            assertEquals(OutboxState.SENT, sent.state)
            assertNotNull(sent.receipt)
            assertEquals(good, sent.receipt!!.instanceId)
            val wedged = profile.outboxItem(poison)
            assertEquals(OutboxState.WEDGED, wedged.state)
            assertEquals("unknown_form", wedged.error!!.code)
            assertTrue(wedged.error!!.message.isNotEmpty())

            assertTrue(listener.events.first() is SyncEvent.Started)
            assertTrue(listener.events.any { it is SyncEvent.Upload && it.sent == 150_000uL })
            val finished = listener.events.last() as SyncEvent.Finished
            assertEquals(1u, finished.report.sent)

            // Offline: nothing is tried, nothing is lost.
            sync.setNetwork(NetworkState(connected = false, metered = false))
            val offline = sync.syncNow(60u, null)
            assertEquals(StopReason.OFFLINE, offline.stopped)
            profile.close()
        }
    }
}
