package id.layanan.presentation

import id.layanan.core.TestServer
import java.io.File
import java.nio.file.Files
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assume.assumeTrue
import org.junit.Before
import org.junit.Test

/** Opening a profile again: each way a vault can refuse has its own words. */
class UnlockTest {
    private lateinit var dir: File
    private lateinit var phone: Phone

    @Before fun setUp() {
        assumeTrue("run through tests/kotlin/run.sh, which starts the server", TestServer.url != null)
        dir = Files.createTempDirectory("layanan-unlock").toFile()
        phone = Phone(dir)
    }

    @After fun tearDown() { if (::dir.isInitialized) { phone.shutdown(); dir.deleteRecursively() } }

    private suspend fun unlockScreen(): Triple<LayananApp, Navigator, UnlockModel> {
        val app = phone.launch()
        val nav = Navigator.start(app)
        assertEquals(Route.Unlock, nav.route.value)
        val model = UnlockModel(app, nav, phone.scope)
        model.load().join()
        return Triple(app, nav, model)
    }

    @Test fun aWrongPinShowsItsMessageAndTheRightPinOpens() = runBlocking {
        phone.kill(onboard(phone, "Nenek", Protection.PIN, pin = "135790"))
        val (app, nav, model) = unlockScreen()
        var st = model.state.value
        assertEquals("the only profile is chosen", "Nenek", st.selected?.label)
        assertTrue(st.pinNeeded)

        model.setPin("135791")
        model.unlock().join()
        st = model.state.value
        assertEquals("PIN salah. Coba lagi.", st.error)
        assertEquals(UnlockPhase.IDLE, st.phase)
        assertFalse(st.offerRemoval)
        assertEquals("the wrong PIN is cleared", "", st.pin)
        assertNull(app.session.value)
        assertEquals(Route.Unlock, nav.route.value)

        model.setPin("135790")
        model.unlock().join()
        assertEquals(UnlockPhase.UNLOCKED, model.state.value.phase)
        assertEquals(Route.Home, nav.route.value)
        assertEquals("Nenek", app.session.value?.label)
        app.close()
    }

    @Test fun aCancelledPromptSaysTryAgainAndTheNextTouchOpens() = runBlocking {
        phone.kill(onboard(phone, "Bapak", Protection.BIOMETRIC))
        val (app, nav, model) = unlockScreen()
        phone.keys.touches.send(Touch.CANCEL)
        model.unlock().join()
        var st = model.state.value
        assertEquals("Verifikasi dibatalkan atau belum bisa dilakukan. Coba lagi.", st.error)
        assertFalse("a cancelled prompt is not a lost key", st.offerRemoval)
        assertEquals(1, phone.keys.prompts.size)

        // While the prompt shows, the screen says what to do, in the app's language.
        app.setLanguage(Language.ENGLISH)
        model.state.until("English") { it.strings.language == Language.ENGLISH }
        val unlocking = model.unlock()
        st = model.state.until("the prompt") { it.phase == UnlockPhase.UNLOCKING }
        assertEquals("Touch the sensor or look at the camera…", st.progress)
        assertNull(st.error)
        assertFalse(unlocking.isCompleted)
        phone.keys.touches.send(Touch.ACCEPT)
        unlocking.join()
        st = model.state.value
        assertEquals(UnlockPhase.UNLOCKED, st.phase)
        assertEquals(2, phone.keys.prompts.size)
        assertEquals(Route.Home, nav.route.value)
        app.close()
    }

    @Test fun aLostKeyOffersOnlyRemovalAndAnotherPhonesKeyIsNotDamage() = runBlocking {
        phone.kill(onboard(phone, "Kakak"))
        // The key store no longer has the profile's key (a new fingerprint enrolled, a reset).
        val id = phone.launch().let { a -> a.store().listProfiles().single().id.also { a.close() } }
        phone.keys.keys.delete(id)
        val (app, nav, model) = unlockScreen()
        model.unlock().join()
        var st = model.state.value
        assertTrue(st.error!!.startsWith("Kunci profil ini hilang"))
        assertTrue(st.offerRemoval)

        // A key store holding some other key: the data is fine, the key is not this profile's.
        phone.keys.keys.getOrCreate(id)
        model.unlock().join()
        st = model.state.value
        assertTrue(st.error!!, st.error!!.startsWith("Kunci di ponsel ini bukan kunci profil ini"))
        assertFalse(st.offerRemoval)

        phone.keys.keys.delete(id)
        model.unlock().join()
        assertTrue(model.state.value.offerRemoval)
        model.removeSelected().join()
        assertEquals(emptyList<Any>(), app.store().listProfiles())
        assertEquals("nothing left: onboarding", Route.Onboarding, nav.route.value)
        app.close()
    }
}
