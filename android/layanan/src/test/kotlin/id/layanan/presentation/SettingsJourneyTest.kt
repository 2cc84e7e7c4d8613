package id.layanan.presentation

import id.layanan.core.LinkProxy
import id.layanan.core.NetworkState
import id.layanan.core.OutboxState
import id.layanan.core.StopReason
import id.layanan.core.TestServer
import java.io.File
import java.nio.file.Files
import id.layanan.core.SyncEvent
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assume.assumeTrue
import org.junit.Before
import org.junit.Test

/** Settings, and the background job that follows them. */
class SettingsJourneyTest {
    private lateinit var dir: File
    private lateinit var phone: Phone

    @Before fun setUp() {
        assumeTrue("run through tests/kotlin/run.sh, which starts the server", TestServer.url != null)
        dir = Files.createTempDirectory("layanan-settings").toFile()
        phone = Phone(dir)
    }

    @After fun tearDown() { if (::dir.isInitialized) { phone.shutdown(); dir.deleteRecursively() } }

    @Test fun signingInWithTheSmsCodeAndOut() = runBlocking {
        val app = onboard(phone)
        val session = app.session.value!!
        val settings = SettingsModel(app, session, Navigator(Route.Settings), phone.scope)
        settings.load().join()
        assertEquals("Belum masuk", settings.state.value.accountText)
        assertFalse(settings.state.value.signedIn)

        settings.setPhone("0812-9876-0005")
        val seen = TestServer.codes().size
        settings.startSignIn().join()
        var st = settings.state.value
        assertEquals("081298760005", st.phone)
        assertNull(st.error)
        assertTrue(st.codePrompt!!, st.codePrompt!!.startsWith("Masukkan ") && st.codePrompt!!.endsWith(" angka kode dari SMS"))

        // A wrong code: the server's own words.
        val code = TestServer.nextCode(seen)
        settings.setCode(if (code.startsWith("0")) "1" + code.drop(1) else "0" + code.drop(1))
        settings.finishSignIn().join()
        st = settings.state.value
        assertTrue("a refused code is explained", !st.error.isNullOrBlank())
        assertFalse(st.signedIn)

        settings.setCode(code)
        settings.finishSignIn().join()
        st = settings.state.value
        assertNull(st.error)
        assertTrue(st.signedIn)
        assertEquals("Masuk ke ${TestServer.url}", st.accountText)
        assertNull(st.codePrompt)

        settings.signOut().join()
        assertEquals("Belum masuk", settings.state.value.accountText)
        // Signed out, a run says the citizen must sign in.
        val outbox = OutboxModel(app, session, phone.scope)
        session.sync.updateForms()
        fileDomisili(app, phone, "Ani", 5_000)
        outbox.sendNow().join()
        assertEquals("Masuk dulu di Pengaturan agar formulir bisa dikirim.", outbox.state.value.message)
        app.close()
    }

    @Test fun wifiOnlyIsStoredAndTheOutboxWaitsOnMobileData() = runBlocking {
        val app = onboard(phone)
        signIn(app, "081298760006")
        val session = app.session.value!!
        val settings = SettingsModel(app, session, Navigator(Route.Settings), phone.scope)
        settings.load().join()
        assertFalse(settings.state.value.wifiOnly)
        app.setNetwork(NetworkState(connected = true, metered = true))
        val id = fileDomisili(app, phone, "Siti", 5_000)
        settings.setWifiOnly(true).join()
        assertTrue(settings.state.value.wifiOnly)
        assertEquals("finalize asked for any network, the setting for Wi-Fi", listOf(false, true), phone.scheduler.calls)

        val outbox = OutboxModel(app, session, phone.scope)
        outbox.sendNow().join()
        assertEquals("Menunggu Wi-Fi (pengaturan: hanya Wi-Fi).", outbox.state.value.message)
        assertEquals(OutboxState.QUEUED, session.profile.outbox().item(id).state)

        // Stored with the profile: after a restart the setting is still there.
        phone.kill(app)
        val again = phone.launch()
        val nav = Navigator.start(again)
        UnlockModel(again, nav, phone.scope).apply { load().join(); unlock().join() }
        val s2 = again.session.value!!
        val settings2 = SettingsModel(again, s2, nav, phone.scope)
        settings2.load().join()
        assertTrue(settings2.state.value.wifiOnly)
        // On Wi-Fi it goes.
        again.setNetwork(NetworkState(connected = true, metered = false))
        val outbox2 = OutboxModel(again, s2, phone.scope)
        outbox2.sendNow().join()
        assertEquals(OutboxState.SENT, outbox2.state.until("sent") { it.rows.singleOrNull()?.state == OutboxState.SENT }.rows.single().state)
        again.close()
    }

    @Test fun removingTheProfileAsksFirstSaysWhatIsUnsentAndWipesIt() = runBlocking {
        val app = onboard(phone, "Ibu")
        app.session.value!!.sync.updateForms()
        fileDomisili(app, phone, "Siti", 5_000)
        val session = app.session.value!!
        val id = session.profileId
        val nav = Navigator(Route.Home).apply { go(Route.Settings) }
        val settings = SettingsModel(app, session, nav, phone.scope)
        settings.confirmRemove().join()
        assertEquals("nothing happens without the question", 1, app.store().listProfiles().size)

        settings.askRemove().join()
        assertEquals(
            "Semua draf, foto, dan formulir yang belum terkirim di profil ini akan dihapus. Lanjutkan? 1 formulir belum terkirim.",
            settings.state.value.removeConfirmation,
        )
        settings.cancelRemove().join()
        assertNull(settings.state.value.removeConfirmation)
        settings.askRemove()
        settings.confirmRemove().join()
        assertEquals(emptyList<Any>(), app.store().listProfiles())
        assertFalse("the key is destroyed", phone.keys.keys.has(id))
        assertNull(app.session.value)
        assertEquals(Route.Onboarding, nav.route.value)
        assertFalse("nothing back to the removed profile", nav.back())
        app.close()
    }

    @Test fun theSystemStoppingTheBackgroundJobCancelsItsRunAndItIsRescheduled() = runBlocking {
        LinkProxy(TestServer.url!!, bytesPerSecond = 40_000).use { slow ->
            phone.url = slow.url
            val app = onboard(phone)
            signIn(app, "081298760007")
            val id = fileDomisili(app, phone, "Ibu Sri", 300_000)
            val session = app.session.value!!
            val job = BackgroundSync(app, 120u)
            val running = async { job.run() }
            // The system stops the job mid-upload.
            withTimeout(30_000) { session.updates.sync.first { it is SyncEvent.Upload } }
            job.stop()
            val outcome = running.await() as BackgroundOutcome.Ran
            assertEquals(StopReason.CANCELLED, outcome.report.stopped)
            assertTrue("asks to run again", outcome.reschedule)
            assertEquals(OutboxState.QUEUED, session.profile.outbox().item(id).state)
            app.close()
        }
    }
}
