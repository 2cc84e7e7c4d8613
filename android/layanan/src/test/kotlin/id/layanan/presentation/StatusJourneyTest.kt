package id.layanan.presentation

import id.layanan.core.SubmissionState
import id.layanan.core.TestServer
import java.io.File
import java.nio.file.Files
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assume.assumeTrue
import org.junit.Before
import org.junit.Test

/** What the agency decides reaches the citizen: the timeline, the badge, a notification. */
class StatusJourneyTest {
    private lateinit var dir: File
    private lateinit var phone: Phone

    @Before fun setUp() {
        assumeTrue("run through tests/kotlin/run.sh, which starts the server", TestServer.url != null)
        dir = Files.createTempDirectory("layanan-status").toFile()
        phone = Phone(dir)
    }

    @After fun tearDown() { if (::dir.isInitialized) { phone.shutdown(); dir.deleteRecursively() } }

    @Test fun anOfficersDecisionAppearsInTheTimelineOnTheBadgeAndAsANotificationOnce() = runBlocking {
        val app = onboard(phone)
        signIn(app, "081298760003")
        val id = fileDomisili(app, phone, "Siti Rahayu", 20_000)
        val session = app.session.value!!
        val nav = Navigator(Route.Home)
        val home = HomeModel(app, session, nav, phone.scope)
        home.syncNow().join()
        assertTrue(home.state.value.message!!, home.state.value.message!!.startsWith("Selesai: 1 terkirim"))

        val status = StatusModel(app, session, phone.scope)
        status.open(id).join()
        val received = status.state.until("received") { it.timeline.isNotEmpty() }
        assertEquals(SubmissionState.RECEIVED, received.timeline.last().state)

        Officer.decide(id, "in_review")
        Officer.decide(id, "approved", "Silakan ambil surat di kantor desa hari Senin.")
        home.syncNow().join()

        // The timeline, live: the officer's decision with the note, in words.
        val st = status.state.until("approved") { it.timeline.lastOrNull()?.state == SubmissionState.APPROVED }
        val approved = st.timeline.last()
        assertEquals(listOf(SubmissionState.RECEIVED, SubmissionState.IN_REVIEW, SubmissionState.APPROVED), st.timeline.map { it.state })
        assertEquals("Catatan petugas: Silakan ambil surat di kantor desa hari Senin.", approved.note)
        assertTrue(approved.title.isNotBlank() && approved.detail.isNotBlank())
        // The core sends the timeline, then the pending notifications: both arrive.
        status.state.until("the notification") { s -> s.notifications.any { it.state == SubmissionState.APPROVED } }
        val unread = home.state.until("unread badge") { it.badges.unread >= 2 }.badges
        assertEquals("${unread.unread} pemberitahuan baru", unread.unreadText)

        // The background job shows them as local notifications, once.
        val outcome = BackgroundSync(app, 30u).run() as BackgroundOutcome.Ran
        assertNull(outcome.report.stopped)
        assertEquals(false, outcome.reschedule)
        val shown = phone.notifier.shown.toList()
        assertEquals(outcome.notified, shown)
        val note = shown.single { it.text.contains("kantor desa") }
        assertEquals(id, note.instanceId)
        assertTrue(note.title, note.title.startsWith("Surat Keterangan Domisili: "))
        assertEquals(0, home.state.until("read") { it.badges.unread == 0 }.badges.unread)
        assertEquals("Tidak ada pemberitahuan baru.", status.state.until("none") { it.notifications.isEmpty() }.emptyNotifications)
        val again = BackgroundSync(app, 30u).run() as BackgroundOutcome.Ran
        assertEquals(emptyList<LocalNotification>(), again.notified)
        assertEquals(shown.size, phone.notifier.shown.size)

        // Locked: the job cannot open the profile and says so.
        app.lock()
        assertEquals(BackgroundOutcome.NeedsUnlock, BackgroundSync(app, 30u).run())
        app.close()
    }

    @Test fun markingReadClearsTheBadgeWithoutNotifying() = runBlocking {
        val app = onboard(phone)
        signIn(app, "081298760004")
        val id = fileDomisili(app, phone, "Budi", 10_000)
        val session = app.session.value!!
        val home = HomeModel(app, session, Navigator(Route.Home), phone.scope)
        home.syncNow().join()
        Officer.decide(id, "rejected", "Foto KTP tidak terbaca.")
        home.syncNow().join()
        val status = StatusModel(app, session, phone.scope)
        val st = status.state.until("rejected") { s -> s.notifications.any { it.state == SubmissionState.REJECTED } }
        assertEquals("Catatan petugas: Foto KTP tidak terbaca.", st.notifications.first { it.state == SubmissionState.REJECTED }.note)
        status.markAllRead().join()
        status.state.until("read") { it.notifications.isEmpty() }
        assertEquals(0, home.state.until("badge") { it.badges.unread == 0 }.badges.unread)
        assertEquals(emptyList<LocalNotification>(), publishPendingNotifications(app, session))
        // English: the same decision in English words.
        app.setLanguage(Language.ENGLISH)
        status.open(id).join()
        val row = status.state.until("English timeline") { it.strings.language == Language.ENGLISH && it.timeline.isNotEmpty() }.timeline.last()
        assertEquals("Officer's note: Foto KTP tidak terbaca.", row.note)
        app.close()
    }
}
