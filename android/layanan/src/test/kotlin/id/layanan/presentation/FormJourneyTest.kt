package id.layanan.presentation

import id.layanan.core.OutboxState
import id.layanan.core.QuestionKind
import id.layanan.core.TestServer
import java.io.File
import java.nio.file.Files
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assume.assumeTrue
import org.junit.Before
import org.junit.Test

/**
 * A citizen fills the social-assistance form (tests/fixtures/forms, pyxform output)
 * through the screen models, against the real library and server.
 */
class FormJourneyTest {
    private lateinit var dir: File
    private lateinit var phone: Phone
    private val nik = "3201014405900001"

    @Before fun setUp() {
        assumeTrue("run through tests/kotlin/run.sh, which starts the server", TestServer.url != null)
        dir = Files.createTempDirectory("layanan-form").toFile()
        phone = Phone(dir)
    }

    @After fun tearDown() { if (::dir.isInitialized) { phone.shutdown(); dir.deleteRecursively() } }

    private fun FormState.q(path: String): QuestionUi =
        questions.firstOrNull { it.path == path } ?: throw AssertionError("$path is not on the page: ${questions.map { it.path }}")

    /** Onboards, keeps the forms offline, and opens the bansos form from home. */
    private suspend fun openBansos(): Triple<LayananApp, Navigator, FormModel> {
        val app = onboard(phone)
        val session = app.session.value!!
        session.sync.updateForms()
        val nav = Navigator(Route.Home)
        val home = HomeModel(app, session, nav, phone.scope)
        home.load().join()
        assertTrue(home.state.value.services.contains(ServiceRow("bansos_keluarga", "Pendaftaran Bantuan Sosial Keluarga")))
        home.startForm("bansos_keluarga").join()
        val form = FormModel(app, session, nav, nav.route.value as Route.Form, phone.scope)
        form.open().join()
        return Triple(app, nav, form)
    }

    private fun photo(): File = File(dir, "IMG_0001.jpg").apply {
        writeBytes(id.layanan.core.jpegStandIn(60_000))
    }

    @Test fun aBrokenRuleKeepsThePageAndEveryMessageIsOnItsQuestion() = runBlocking {
        val (app, _, form) = openBansos()
        var st = form.state.value
        assertEquals("Pendaftaran Bantuan Sosial Keluarga", st.formTitle)
        assertTrue(st.progress, st.progress.startsWith("Halaman 1 dari "))
        assertEquals(false, st.canGoBack)
        val nikQ = st.q("/data/head_nik")
        assertEquals("NIK kepala keluarga", nikQ.label)
        assertTrue(nikQ.required)
        assertTrue("the screen reader hears that it is required: ${nikQ.spoken.label}", nikQ.spoken.label.contains("wajib"))

        form.answer("/data/head_nik", "12345").join()
        st = form.state.value
        assertEquals("NIK harus 16 digit", st.q("/data/head_nik").error)
        assertTrue("the error is spoken: ${st.q("/data/head_nik").spoken.hint}", st.q("/data/head_nik").spoken.hint!!.contains("NIK harus 16 digit"))
        form.next().join()
        st = form.state.value
        assertEquals("Masih ada jawaban yang perlu dilengkapi atau diperbaiki.", st.pageError)
        assertTrue("still on page 1", st.progress.startsWith("Halaman 1 "))

        form.answer("/data/head_nik", nik).join()
        assertNull(form.state.value.q("/data/head_nik").error)
        form.next().join()
        // Leaving a required question empty: its message from the engine, on the question.
        form.next().join()
        st = form.state.value
        assertNotNull(st.pageError)
        assertNotNull("the missing answer is marked", st.q("/data/head_name").error)
        form.answer("/data/head_name", "Siti Aminah").join()
        assertNull(form.state.value.q("/data/head_name").error)
        form.next().join()
        st = form.state.value
        assertEquals("Anggota keluarga", st.pageTitle)
        assertEquals("Tambah Anggota keluarga", st.addRepeatLabel)

        // A value of the wrong type is refused by the core, kept in the field, explained.
        form.jump("/data/member[1]/m_age").join()
        form.answer("/data/member[1]/m_age", "empat puluh").join()
        st = form.state.value
        assertEquals("Isi dengan bilangan bulat.", st.q("/data/member[1]/m_age").error)
        assertEquals("empat puluh", st.q("/data/member[1]/m_age").value)
        assertEquals("Isi dengan bilangan bulat.", st.q("/data/member[1]/m_age").spoken.hint)
        form.answer("/data/member[1]/m_age", "41").join()
        st = form.state.value
        assertNull(st.q("/data/member[1]/m_age").error)
        assertEquals("41", st.q("/data/member[1]/m_age").value)
        form.close().join()
        app.close()
    }

    @Test fun aRepeatAndAPhotoSurviveTheAppBeingKilledAndResumeOnTheSamePage() = runBlocking {
        val (app, _, form) = openBansos()
        form.answer("/data/head_nik", nik)
        form.answer("/data/head_name", "Siti Aminah")
        form.answer("/data/member[1]/m_name", "Budi")
        form.jump("/data/member[1]/relation").join()
        form.choose("/data/member[1]/relation", "spouse").join()
        var relation = form.state.value.q("/data/member[1]/relation")
        assertEquals(QuestionKind.SELECT_ONE, relation.kind)
        assertEquals(listOf(true, false, false, false), relation.choices.map { it.selected })
        assertTrue(relation.choices.all { it.spoken.label.isNotBlank() })
        form.answer("/data/member[1]/m_age", "41")
        form.answer("/data/member[1]/disabled", "no")

        // A second member: a new instance of the repeat, on its own pages.
        form.addRepeat().join()
        var st = form.state.value
        assertEquals("/data/member[2]/m_name", st.questions.first().path)
        assertEquals("Hapus Anggota keluarga ini", st.removeRepeatLabel)
        form.answer("/data/member[2]/m_name", "Ani").join()

        // The photo of the house: sealed by the core, named after its question.
        form.jump("/data/house_photo").join()
        val house = form.state.value.q("/data/house_photo")
        assertEquals(QuestionKind.UPLOAD, house.kind)
        val shot = photo()
        form.attachPhoto("/data/house_photo", shot.path, "image/jpeg").join()
        assertEquals("house_photo.jpg", form.state.value.q("/data/house_photo").value)
        shot.delete()
        val session = app.session.value!!
        val draftId = form.state.value.draftId!!
        assertEquals(1, session.profile.attachments().list(draftId).size)

        form.jump("/data/member[2]/relation").join()
        // The process is killed here, with no chance to save anything.
        phone.kill(app)

        val again = phone.launch()
        val nav = Navigator.start(again)
        val unlock = UnlockModel(again, nav, phone.scope)
        unlock.load().join()
        unlock.unlock().join()
        assertEquals(Route.Home, nav.route.value)
        val home = HomeModel(again, again.session.value!!, nav, phone.scope)
        home.load().join()
        val draft = home.state.value.drafts.single()
        assertEquals("Pendaftaran Bantuan Sosial Keluarga", draft.formName)
        home.continueDraft(draft.draftId).join()
        val resumed = FormModel(again, again.session.value!!, nav, nav.route.value as Route.Form, phone.scope)
        resumed.open().join()
        st = resumed.state.value
        assertEquals("back on the page the citizen left", "/data/member[2]/relation", st.questions.first().path)
        resumed.jump("/data/member[2]/m_name").join()
        assertEquals("Ani", resumed.state.value.q("/data/member[2]/m_name").value)
        resumed.jump("/data/house_photo").join()
        assertEquals("house_photo.jpg", resumed.state.value.q("/data/house_photo").value)
        resumed.jump("/data/member[1]/relation").join()
        relation = resumed.state.value.q("/data/member[1]/relation")
        assertEquals("spouse", relation.value)
        resumed.close().join()
        again.close()
    }

    @Test fun finishingSaysWhatIsMissingThenPutsTheFormInTheOutbox() = runBlocking {
        val (app, nav, form) = openBansos()
        form.answer("/data/head_nik", nik)
        form.answer("/data/head_name", "Siti Aminah")
        form.answer("/data/member[1]/m_name", "Budi")
        form.answer("/data/member[1]/relation", "spouse")
        form.answer("/data/member[1]/m_age", "41")
        form.answer("/data/member[1]/disabled", "no")
        form.finalize().join()
        var st = form.state.value
        assertEquals("Masih ada jawaban yang perlu dilengkapi atau diperbaiki.", st.pageError)
        assertEquals("shown on the first missing question's page", "/data/income", st.questions.first().path)
        assertNotNull(st.q("/data/income").error)
        assertNull(st.finalizedInstanceId)

        form.answer("/data/income", "1500000")
        form.answer("/data/home", "-6.9175 107.6191 700 5")
        val shot = photo()
        form.attachPhoto("/data/house_photo", shot.path, "image/jpeg")
        form.finalize().join()
        st = form.state.value
        val instanceId = st.finalizedInstanceId!!
        assertEquals(Route.Outbox, nav.route.value)
        assertTrue("back from the outbox goes home", nav.back() && nav.route.value == Route.Home)
        assertEquals("the background job was asked for, on any network", listOf(false), phone.scheduler.calls)

        val session = app.session.value!!
        val outbox = session.updates.outbox.until("the item") { items -> items.any { it.instanceId == instanceId } }
        assertEquals(OutboxState.QUEUED, outbox.single().state)
        val home = HomeModel(app, session, nav, phone.scope)
        home.load().join()
        assertEquals(emptyList<DraftRow>(), home.state.value.drafts)
        val badges = home.state.until("the badge") { it.badges.waiting == 1 }.badges
        assertEquals("1 menunggu dikirim", badges.waitingText)
        assertNull(badges.needsYouText)
        form.close().join()
        app.close()
    }

    @Test fun switchingTheLanguageInSettingsReRendersTheOpenPage() = runBlocking {
        val (app, nav, form) = openBansos()
        form.answer("/data/head_nik", "123").join()
        val settings = SettingsModel(app, app.session.value!!, nav, phone.scope)
        settings.setLanguage(Language.ENGLISH).join()
        val st = form.state.until("English") { it.strings.language == Language.ENGLISH && it.questions.isNotEmpty() && it.questions[0].label == "Head of household NIK" }
        assertEquals("NIK must be 16 digits", st.q("/data/head_nik").error)
        assertTrue(st.progress, st.progress.startsWith("Page 1 of "))
        assertEquals("Next", st.strings[Msg.NEXT])
        assertEquals("123", st.q("/data/head_nik").value)
        assertEquals(Language.ENGLISH, settings.state.until("settings in English") { it.language == Language.ENGLISH }.language)

        settings.setLanguage(Language.INDONESIAN).join()
        val back = form.state.until("Indonesian") { it.questions.firstOrNull()?.label == "NIK kepala keluarga" }
        assertEquals("NIK harus 16 digit", back.q("/data/head_nik").error)
        form.close().join()
        app.close()
    }
}
