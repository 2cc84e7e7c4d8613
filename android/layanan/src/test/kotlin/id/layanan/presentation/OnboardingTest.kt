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

/** The first minute with the app: a profile, a language, a protection. */
class OnboardingTest {
    private lateinit var dir: File
    private lateinit var phone: Phone

    @Before fun setUp() {
        assumeTrue("run through tests/kotlin/run.sh, which starts the server", TestServer.url != null)
        dir = Files.createTempDirectory("layanan-onboarding").toFile()
        phone = Phone(dir)
    }

    @After fun tearDown() { if (::dir.isInitialized) { phone.shutdown(); dir.deleteRecursively() } }

    @Test fun createsAProfileInEnglishProtectedByAPinAndGoesHome() = runBlocking {
        val app = phone.launch()
        val nav = Navigator.start(app)
        assertEquals("a phone without profiles starts at onboarding", Route.Onboarding, nav.route.value)
        val model = OnboardingModel(app, nav, phone.scope)
        assertEquals("Bahasa Indonesia by default", "Selamat datang di Layanan", model.state.value.strings[Msg.WELCOME_TITLE])

        model.chooseLanguage(Language.ENGLISH)
        model.create().join()
        var st = model.state.value
        assertEquals("Welcome to Layanan", st.strings[Msg.WELCOME_TITLE])
        assertEquals("Enter a profile name.", st.error)

        model.setName("  Mother ")
        model.chooseProtection(Protection.PIN)
        model.setPin("12a34")
        model.create().join()
        st = model.state.value
        assertTrue(st.pinNeeded)
        assertEquals("letters never reach the PIN", "1234", st.pin)
        assertEquals("The PIN needs at least 6 digits.", st.error)
        assertEquals(Route.Onboarding, nav.route.value)

        model.setPin("240817")
        model.create().join()
        st = model.state.value
        assertNull(st.error)
        assertEquals(Route.Home, nav.route.value)
        val session = app.session.value!!
        assertEquals(session.profileId, st.createdProfileId)
        assertEquals("Mother", session.label)
        assertEquals("", st.pin)
        assertEquals(listOf("Mother"), app.store().listProfiles().map { it.label })

        // The choices outlive the process: the next start is in English and asks for the PIN.
        phone.kill(app)
        val again = phone.launch()
        assertEquals(Language.ENGLISH, again.language.value)
        assertEquals(Protection.PIN, again.protectionOf(session.profileId))
        assertEquals(Route.Unlock, Navigator.start(again).route.value)
        again.close()
    }

    @Test fun biometricsAreOfferedOnlyWhereThePhoneHasThem() = runBlocking {
        val without = Phone(File(dir, "old-phone"), JvmDeviceKeys(biometricsAvailable = false))
        try {
            val app = without.launch()
            val model = OnboardingModel(app, Navigator.start(app), without.scope)
            assertEquals(listOf(Protection.DEVICE, Protection.PIN), model.state.value.protections)
            model.chooseProtection(Protection.BIOMETRIC).join()
            assertEquals("Ponsel ini tidak punya sidik jari atau wajah yang terdaftar.", model.state.value.error)
            assertEquals(Protection.DEVICE, model.state.value.protection)
            app.close()
        } finally {
            without.shutdown()
        }

        val app = phone.launch()
        val nav = Navigator.start(app)
        val model = OnboardingModel(app, nav, phone.scope)
        assertTrue(Protection.BIOMETRIC in model.state.value.protections)
        model.setName("Bapak")
        model.chooseProtection(Protection.BIOMETRIC)
        model.create().join()
        assertEquals(Route.Home, nav.route.value)
        val id = app.session.value!!.profileId
        assertEquals(Protection.BIOMETRIC, app.protectionOf(id))
        assertTrue("the profile's key is in the key store", phone.keys.keys.has(id))
        assertFalse("creating does not prompt", phone.keys.prompts.contains(id))
        app.close()
    }
}
