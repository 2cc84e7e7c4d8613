package id.layanan.core

import id.layanan.vault.AesGcmKeyVault
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Assume.assumeTrue
import org.junit.Before
import org.junit.Test

/**
 * A citizen fills the social-assistance form (pyxform output of an XLSForm, from
 * tests/fixtures/forms) from Kotlin: a NIK that breaks the form's rule and is fixed,
 * two household members (a repeat), a disability question skipped for one of them, a
 * photo of the house; the app is killed halfway and resumes from the sealed draft;
 * the finalized submission goes through the outbox to the reference server that
 * tests/kotlin/run.sh starts (TEST_SERVER_URL, TEST_SERVER_LOG, TEST_FORMS_DIR).
 */
class FormSessionTest {
    private val serverUrl = TestServer.url
    private val formsDir = System.getenv("TEST_FORMS_DIR")
    private lateinit var dir: File

    private val nik = "3201014405900001"
    private val head = "Siti Aminah Wulandari"
    private val wib = 420

    @Before fun setUp() {
        assumeTrue("run through tests/kotlin/run.sh, which starts the server", serverUrl != null && formsDir != null)
        dir = Files.createTempDirectory("layanan-kt-forms").toFile()
    }

    @After fun tearDown() { if (::dir.isInitialized) dir.deleteRecursively() }

    private fun FormPage.question(path: String): FormQuestion =
        questions.firstOrNull { it.path == path } ?: error("$path is not on page $index: ${questions.map { it.path }}")

    @Test fun fillWithRepeatSkipRuleAndPhotoResumeFinalizeAndSync() = runBlocking {
        val keys = InMemoryKeys()
        val data = File(dir, "data").path
        var profileId = ""
        var draftId = ""

        ProfileStore.open(data).use { store ->
            val profile = store.createProfile("Ibu", AesGcmKeyVault(keys))
            profileId = profile.id()
            // The forms come from the agency's server and are kept offline; a session
            // starts from the kept copy by its id.
            val update = SyncService(profile, serverUrl!!, TestServer.agencyKeyHex()).updateForms()
            assertTrue(update.downloaded >= 1u)
            assertTrue(profile.forms().list().any { it.formId == "bansos_keluarga" })
            val form = FormSession.start(profile, "bansos_keluarga", "id", wib)
            draftId = form.draftId()
            val info = form.info()
            assertEquals("bansos_keluarga", info.formId)
            assertEquals("Pendaftaran Bantuan Sosial Keluarga", info.title)
            assertEquals(listOf("Bahasa Indonesia (id)", "English (en)"), info.languages)
            assertEquals("Bahasa Indonesia (id)", info.language)
            assertEquals(listOf(draftId), profile.drafts().list().map { it.id })

            var page = form.currentPage()
            val nikQuestion = page.question("/data/head_nik")
            assertEquals("NIK kepala keluarga", nikQuestion.label)
            assertEquals("numbers", nikQuestion.appearance)
            assertEquals(QuestionKind.INPUT, nikQuestion.kind)
            assertEquals(ValueType.TEXT, nikQuestion.valueType)
            assertTrue(nikQuestion.required)

            // The rule: a NIK has 16 digits. The wrong answer is kept and explained.
            page = form.answer("/data/head_nik", "12345")
            assertEquals("NIK harus 16 digit", page.question("/data/head_nik").error)
            try {
                form.nextPage()
                fail("a page with a broken rule must not be left")
            } catch (e: FormsException.Invalid) {
                assertEquals(listOf("/data/head_nik"), e.paths)
                assertEquals("Masih ada jawaban yang perlu dilengkapi atau diperbaiki.", e.userMessage)
            }
            val issue = form.validate().first { it.path == "/data/head_nik" }
            assertEquals(IssueKind.CONSTRAINT, issue.kind)
            assertEquals("NIK harus 16 digit", issue.message)
            page = form.setLanguage("en")
            assertEquals("Head of household NIK", page.question("/data/head_nik").label)
            assertEquals("NIK must be 16 digits", page.question("/data/head_nik").error)
            form.setLanguage("id")
            page = form.answer("/data/head_nik", nik)
            assertNull(page.question("/data/head_nik").error)
            page = form.nextPage()
            assertEquals(1u, page.index)
            form.answer("/data/head_name", head)

            // The first household member, with a disability: the follow-up appears.
            page = form.nextPage()
            assertEquals("/data/member[1]", page.repeat)
            assertEquals("Anggota keluarga", page.title)
            form.answer("/data/member[1]/m_name", "Budi")
            page = form.nextPage()
            val relation = page.question("/data/member[1]/relation")
            assertEquals(QuestionKind.SELECT_ONE, relation.kind)
            assertEquals(listOf("Istri/suami", "Anak", "Orang tua", "Lainnya"), relation.choices.map { it.label })
            form.answer("/data/member[1]/relation", "spouse")
            page = form.answer("/data/member[1]/m_age", "41")
            try {
                form.answer("/data/member[1]/m_age", "empat puluh")
                fail("text is not an age")
            } catch (e: FormsException.InvalidValue) {
                assertEquals("/data/member[1]/m_age", e.path)
                assertEquals("Isi dengan bilangan bulat.", e.userMessage)
                assertEquals("Enter a whole number.", e.userMessageEn)
                assertTrue("no answer in the exception", !e.message!!.contains("empat"))
            }
            val pagesBefore = form.currentPage().count
            form.answer("/data/member[1]/disabled", "yes")
            page = form.jump("/data/member[1]/disability")
            assertEquals(pagesBefore + 1u, page.count)
            form.answer("/data/member[1]/disability", "Tunanetra")

            // The app is killed here: the session, profile and store are gone from memory.
            form.close()
            profile.close()
        }

        ProfileStore.open(data).use { store ->
            val profile = store.unlockProfile(profileId, AesGcmKeyVault(keys))
            assertEquals(listOf(draftId), profile.drafts().list().map { it.id })
            val form = FormSession.resume(profile, draftId, null, wib)
            assertEquals(draftId, form.draftId())
            assertEquals(head, form.jump("/data/head_name").question("/data/head_name").value)
            assertEquals("Tunanetra", form.jump("/data/member[1]/disability").question("/data/member[1]/disability").value)

            // A second member, without a disability: the follow-up is skipped.
            var page = form.addRepeat("/data/member")
            assertEquals("/data/member[2]", page.repeat)
            assertEquals("/data/member[2]/m_name", page.questions[0].path)
            form.answer("/data/member[2]/m_name", "Ani")
            form.answer("/data/member[2]/relation", "child")
            page = form.jump("/data/member[2]/m_age")
            assertEquals("Umur Ani", page.question("/data/member[2]/m_age").label.trim())
            form.answer("/data/member[2]/m_age", "9")
            form.answer("/data/member[2]/disabled", "no")
            try {
                form.jump("/data/member[2]/disability")
                fail("a skipped question has no page")
            } catch (e: FormsException.UnknownPath) { /* expected */ }

            // Not finished: finalize says what is missing and keeps the draft.
            try {
                form.finalize()
                fail("required answers are missing")
            } catch (e: FormsException.Invalid) {
                assertEquals(listOf("/data/income", "/data/home", "/data/house_photo"), e.paths)
            }
            form.answer("/data/income", "1500000")
            form.answer("/data/home", "-6.9175 107.6191 700 5")

            // The photo of the house: sealed into the store, the answer is its file name.
            val photo = jpegStandIn(120_000)
            val photoFile = File(dir, "IMG_0001.jpg").apply { writeBytes(photo) }
            page = form.jump("/data/house_photo")
            assertEquals(QuestionKind.UPLOAD, page.question("/data/house_photo").kind)
            assertEquals("image/*", page.question("/data/house_photo").mediaType)
            page = form.attachFile("/data/house_photo", "rumah.jpg", "image/jpeg", photoFile.path)
            assertEquals("rumah.jpg", page.question("/data/house_photo").value)
            assertEquals(1, profile.attachments().list(draftId).size)
            assertTrue(form.answersJson().contains("\"n_members\":\"2\""))
            assertTrue(form.validate().isEmpty())

            val item = form.finalize()
            assertEquals(OutboxState.QUEUED, item.state)
            assertEquals("bansos_keluarga", item.formId)
            assertEquals(1u, item.attachmentCount)
            assertTrue(item.instanceId.startsWith("uuid:"))
            assertTrue(profile.drafts().list().isEmpty())
            try {
                form.answer("/data/income", "1")
                fail("a finalized form is read-only")
            } catch (e: FormsException.Finalized) { /* expected */ }

            // Delivered to the agency's server, which checks it with the same engine.
            val sync = SyncService(profile, serverUrl!!, TestServer.agencyKeyHex())
            TestServer.signIn(sync, "081234567893")
            val report = sync.syncNow(60u, null).report()
            assertEquals(1u, report.sent)
            assertEquals(0u, report.wedged)
            val sent = profile.outbox().item(item.instanceId)
            assertEquals(OutboxState.SENT, sent.state)
            assertNotNull(sent.receipt)
            assertEquals(item.instanceId, sent.receipt!!.instanceId)
            assertEquals("bansos_keluarga", sent.receipt!!.formId)
            form.close()
            profile.close()
        }
    }

    @Test fun aLockedProfilesSessionFailsWithLockedAndResumesAfterUnlock() = runBlocking {
        val keys = InMemoryKeys()
        ProfileStore.open(File(dir, "data").path).use { store ->
            val profile = store.createProfile("Bapak", AesGcmKeyVault(keys))
            val sync = SyncService(profile, serverUrl!!, TestServer.agencyKeyHex())
            sync.updateForms()
            val form = FormSession.start(profile, "bansos_keluarga", "id", wib)
            form.answer("/data/head_nik", nik)
            val draftId = form.draftId()

            profile.lock()
            assertTrue(profile.isLocked())
            // Every door closes: the session (reads too), the sub-APIs, a sync run.
            try { form.answer("/data/head_nik", "3201014405900002"); fail("locked") } catch (e: FormsException.Locked) { }
            try { form.currentPage(); fail("locked") } catch (e: FormsException.Locked) { }
            try { profile.drafts().list(); fail("locked") } catch (e: StoreException.Locked) { }
            try { profile.outbox().list(); fail("locked") } catch (e: StoreException.Locked) { }
            try { sync.syncNow(30u, null).report(); fail("locked") } catch (e: SyncException.Locked) { }

            // Unlocked again, the draft continues where it was.
            val again = store.unlockProfile(profile.id(), AesGcmKeyVault(keys))
            val resumed = FormSession.resume(again, draftId, null, wib)
            assertEquals(nik, resumed.currentPage().question("/data/head_nik").value)
            try {
                FormSession.start(again, "no_such_form", null, wib)
                fail("a form that is not kept offline")
            } catch (e: FormsException.FormNotOffline) { assertEquals("no_such_form", e.formId) }
            resumed.close(); form.close(); again.close(); profile.close()
        }
        // What the citizen typed is sealed on disk.
        File(dir, "data").walkTopDown().filter { it.isFile }.forEach { f ->
            assertFalse("plain NIK in ${f.name}", String(f.readBytes(), Charsets.ISO_8859_1).contains(nik))
        }
    }
}
