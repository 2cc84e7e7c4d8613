package id.layanan.presentation

import id.layanan.core.LinkProxy
import id.layanan.core.OutboxState
import id.layanan.core.TestServer
import java.io.File
import java.nio.file.Files
import java.util.Collections
import java.util.UUID
import kotlinx.coroutines.flow.launchIn
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assume.assumeTrue
import org.junit.Before
import org.junit.Test

/** The outbox screen and the home badges, live, against the real server. */
class OutboxJourneyTest {
    private lateinit var dir: File
    private lateinit var phone: Phone

    @Before fun setUp() {
        assumeTrue("run through tests/kotlin/run.sh, which starts the server", TestServer.url != null)
        dir = Files.createTempDirectory("layanan-outbox").toFile()
        phone = Phone(dir)
    }

    @After fun tearDown() { if (::dir.isInitialized) { phone.shutdown(); dir.deleteRecursively() } }

    @Test fun theOutboxAndTheHomeBadgeFollowAnItemToSentThroughADroppedConnection() = runBlocking {
        LinkProxy(TestServer.url!!, dropAfterBytes = 60_000).use { link ->
            phone.url = link.url
            val app = onboard(phone)
            signIn(app, "081298760001")
            val id = fileDomisili(app, phone, "Siti Rahayu", 120_000)
            val session = app.session.value!!
            val nav = Navigator(Route.Home)
            val home = HomeModel(app, session, nav, phone.scope)
            val outbox = OutboxModel(app, session, phone.scope)
            outbox.load().join()
            var row = outbox.state.until("the item") { it.rows.isNotEmpty() }.rows.single()
            assertEquals(OutboxState.QUEUED, row.state)
            assertEquals("Menunggu dikirim", row.statusTitle)
            assertEquals("Surat Keterangan Domisili", row.formName)
            assertEquals("1 menunggu dikirim", home.state.until("badge") { it.badges.waiting == 1 }.badges.waitingText)

            // Every state the screen rendered, in words and as a state.
            val seen = Collections.synchronizedList(mutableListOf<Pair<OutboxState, String>>())
            val watching = outbox.state.onEach { st -> st.rows.firstOrNull()?.let { seen.add(it.state to it.statusTitle) } }.launchIn(phone.scope)
            outbox.sendNow().join()
            assertTrue("the link dropped the upload", link.dropCount >= 1)
            row = outbox.state.until("sent") { it.rows.single().state == OutboxState.SENT }.rows.single()
            watching.cancel()
            assertEquals(id, row.instanceId)
            // The run pulls the status feed too: the agency's first state is already known.
            assertEquals("Diterima", row.statusTitle)
            assertTrue(row.hasReceipt)
            assertNull(row.reason)
            assertFalse(row.canRetry)
            val states = seen.map { it.first }.distinct()
            assertEquals("the screen showed each state: $seen", listOf(OutboxState.QUEUED, OutboxState.SENDING, OutboxState.SENT), states.filter { it != OutboxState.FAILED })
            assertTrue(outbox.state.value.message!!, outbox.state.value.message!!.startsWith("Selesai: 1 terkirim"))
            val badges = home.state.until("no badge") { it.badges.waiting == 0 }.badges
            assertNull(badges.waitingText)
            app.close()
        }
    }

    @Test fun aWedgedItemSaysWhyAndWhatToDoAndTryAgainSendsIt() = runBlocking {
        val fixture = File(File(System.getenv("TEST_FORMS_DIR")!!).parentFile, "domisili.xml")
        val formId = TestServer.publishCopy(fixture, "domisili", "domisili_" + UUID.randomUUID().toString().take(8))
        val app = onboard(phone)
        signIn(app, "081298760002")
        val poison = fileDomisili(app, phone, "Budi", 10_000, formId)
        TestServer.withdraw(formId)
        val session = app.session.value!!
        val outbox = OutboxModel(app, session, phone.scope)
        outbox.load().join()
        outbox.sendNow().join()
        var row = outbox.state.until("wedged") { it.rows.single().state == OutboxState.WEDGED }.rows.single()
        assertEquals(poison, row.instanceId)
        assertEquals("Perlu tindakan Anda", row.statusTitle)
        assertTrue("the core's reason: ${row.reason}", !row.reason.isNullOrBlank())
        assertEquals(row.reason, row.statusDetail)
        assertEquals("Instansi tidak lagi menerima formulir ini. Hubungi petugas layanan.", row.action)
        assertTrue(row.canRetry)
        val home = HomeModel(app, session, Navigator(Route.Home), phone.scope)
        assertEquals("1 perlu tindakan Anda", home.state.until("badge") { it.badges.needsYou == 1 }.badges.needsYouText)

        // In English, the same row in English words.
        app.setLanguage(Language.ENGLISH)
        row = outbox.state.until("English") { it.strings.language == Language.ENGLISH }.rows.single()
        assertEquals("Needs your action", row.statusTitle)
        assertEquals("The agency no longer takes this form. Contact the service desk.", row.action)

        // The agency publishes the form again; "Try again" sends it.
        TestServer.publishCopy(fixture, "domisili", formId)
        outbox.retry(poison).join()
        row = outbox.state.until("sent") { it.rows.single().state == OutboxState.SENT }.rows.single()
        assertEquals("Received", row.statusTitle)
        assertNull(row.action)
        assertEquals(0, home.state.until("badge gone") { it.badges.needsYou == 0 }.badges.needsYou)
        TestServer.withdraw(formId)
        app.close()
    }
}
