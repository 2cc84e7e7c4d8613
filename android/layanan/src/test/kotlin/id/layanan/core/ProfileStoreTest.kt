package id.layanan.core

import id.layanan.vault.AesGcmKeyVault
import id.layanan.vault.WrappingKeyProvider
import java.io.File
import java.nio.file.Files
import java.util.concurrent.ConcurrentHashMap
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Before
import org.junit.Test

/** Stands in for Android Keystore on the JVM: real AES keys, kept in memory. */
class InMemoryKeys : WrappingKeyProvider {
    private val keys = ConcurrentHashMap<String, SecretKey>()
    override fun getOrCreate(profileId: String): SecretKey =
        keys.getOrPut(profileId) { KeyGenerator.getInstance("AES").apply { init(256) }.generateKey() }
    override fun get(profileId: String): SecretKey? = keys[profileId]
    override fun delete(profileId: String) { keys.remove(profileId) }
    fun has(profileId: String) = keys.containsKey(profileId)
}

class CollectingSink : LogSink {
    val records = java.util.Collections.synchronizedList(mutableListOf<LogRecord>())
    override fun log(record: LogRecord) { records.add(record) }
}

/**
 * The foundation scenario, in Kotlin against the real liblayanan: two profiles on one
 * phone, drafts with Indonesian text and an attachment, reopen, wrong key, wipe.
 */
class ProfileStoreTest {
    private lateinit var dir: File

    private val nama = "Siti Nurhaliza binti Abdullah"
    private val nik = "3201014501900007"
    private val alamat = "Jl. Merdeka No. 17, RT 003/RW 005, Desa Sukamaju, Kec. Cibinong"
    private val catatan = "Mohon dipercepat — anak saya perlu akta kelahiran untuk sekolah. Terima kasih 🙏"

    @Before fun setUp() { dir = Files.createTempDirectory("layanan-kt").toFile() }
    @After fun tearDown() { dir.deleteRecursively() }

    @Test fun twoProfilesDraftsAttachmentsReopenWrongKeyAndWipe() = runBlocking {
        val sink = CollectingSink()
        initLogging(sink, LogLevel.DEBUG)

        val keysIbu = InMemoryKeys()
        val keysAnak = InMemoryKeys()
        val vaultIbu = AesGcmKeyVault(keysIbu)
        val vaultAnak = AesGcmKeyVault(keysAnak)
        val photo = ByteArray(300_000) { (it * 31 % 251).toByte() }
        val photoFile = File(dir, "kamera.jpg").apply { writeBytes(photo) }

        var ibuId = ""
        var anakId = ""
        var draftId = ""
        var attachmentId = ""
        ProfileStore.open(File(dir, "data").path).use { store ->
            val ibu = store.createProfile("Ibu", vaultIbu)
            val anak = store.createProfile("Anak", vaultAnak)
            ibuId = ibu.id(); anakId = anak.id()
            ibu.setDetails(ProfileDetails(nama, nik, "1990-01-05", "+6281234567890", alamat))
            val draft = ibu.createDraft("akta_kelahiran", "2026.1", mapOf("/data/nama_ibu" to nama))
            draftId = draft.id
            ibu.saveDraft(draftId, mapOf("/data/nama_ibu" to nama, "/data/nik_ibu" to nik,
                "/data/alamat" to alamat, "/data/catatan" to catatan))
            val info = ibu.addAttachment(draftId, "foto_ktp.jpg", "image/jpeg", photoFile.path)
            attachmentId = info.id
            assertEquals(300_000uL, info.size)
            assertEquals(5uL, info.chunkCount)
            anak.createDraft("pengaduan", "1", mapOf("/data/isi" to "Jalan rusak di depan sekolah"))
            ibu.close(); anak.close()
        }

        ProfileStore.open(File(dir, "data").path).use { store ->
            assertEquals(listOf("Ibu", "Anak"), store.listProfiles().map { it.label })
            store.unlockProfile(ibuId, vaultIbu).use { ibu ->
                val draft = ibu.loadDraft(draftId)
                assertEquals("akta_kelahiran", draft.formId)
                assertEquals(catatan, draft.answers["/data/catatan"])
                assertEquals(alamat, draft.answers["/data/alamat"])
                assertEquals(nama, ibu.details().fullName)
                val out = File(dir, "export.jpg")
                assertEquals(300_000uL, ibu.exportAttachment(attachmentId, out.path))
                assertArrayEquals(photo, out.readBytes())
                assertArrayEquals(photo.copyOfRange(65_536, 131_072), ibu.readAttachmentChunk(attachmentId, 1uL))
            }

            // A key store holding a different key for Ibu (e.g. after a reinstall):
            // a clear WrongKey, not corruption.
            try {
                store.unlockProfile(ibuId, AesGcmKeyVault(InMemoryKeys().apply { getOrCreate(ibuId) }))
                fail("unlocking with another profile's vault must fail")
            } catch (e: StoreException.WrongKey) { /* expected */ }
            // Lost key store entry (e.g. biometric re-enrolment): KeyLost.
            try {
                store.unlockProfile(anakId, AesGcmKeyVault(InMemoryKeys()))
                fail("a vault without the key must fail")
            } catch (e: StoreException.KeyLost) { /* expected */ }

            store.removeProfile(ibuId, vaultIbu)
            assertFalse("the vault's key is destroyed", keysIbu.has(ibuId))
            assertEquals(listOf("Anak"), store.listProfiles().map { it.label })
            try {
                store.unlockProfile(ibuId, vaultIbu)
                fail("a wiped profile must not unlock")
            } catch (e: StoreException.NotFound) { assertEquals("profile", e.kind) }

            store.unlockProfile(anakId, vaultAnak).use { anak ->
                val drafts = anak.listDrafts()
                assertEquals(1, drafts.size)
                assertEquals("Jalan rusak di depan sekolah", anak.loadDraft(drafts[0].id).answers["/data/isi"])
            }
        }

        // The raw files hold none of the personal text.
        val secrets = listOf(nama, nik, alamat).map { it.toByteArray() }
        File(dir, "data").walkTopDown().filter { it.isFile }.forEach { f ->
            val bytes = f.readBytes()
            secrets.forEach { s -> assertFalse("plain text in ${f.name}", indexOf(bytes, s) >= 0) }
        }
        // Logs flowed to the Kotlin sink and carry no personal data either.
        assertTrue(sink.records.any { it.message.contains("created profile") })
        sink.records.forEach { r -> listOf(nama, nik, alamat).forEach { assertFalse(r.message.contains(it)) } }
    }

    @Test fun rustPassphraseVaultWorksFromKotlin() = runBlocking {
        ProfileStore.open(dir.path).use { store ->
            val id = store.createProfile("Kakek", PassphraseVault("kopi tubruk pagi")).use { it.id() }
            store.unlockProfile(id, PassphraseVault("kopi tubruk pagi")).close()
            try {
                store.unlockProfile(id, PassphraseVault("kopi susu pagi"))
                fail("wrong passphrase must fail")
            } catch (e: StoreException.WrongKey) { /* expected */ }
        }
    }

    @Test fun badInputIsATypedException() = runBlocking {
        ProfileStore.open(dir.path).use { store ->
            val p = store.createProfile("Saya", AesGcmKeyVault(InMemoryKeys()))
            try {
                p.addAttachment(null, "../../etc/passwd", "image/jpeg", File(dir, "nope").path)
                fail("a path in the file name must be refused")
            } catch (e: StoreException.InvalidInput) { /* expected */ }
            try {
                p.loadDraft("no-such-draft")
                fail("unknown draft")
            } catch (e: StoreException.NotFound) { assertEquals("draft", e.kind) }
            try {
                p.addAttachment(null, "foto.jpg", "image/jpeg", File(dir, "missing.jpg").path)
                fail("missing source file")
            } catch (e: StoreException.Storage) { /* expected */ }
            p.close()
        }
    }

    private fun indexOf(hay: ByteArray, needle: ByteArray): Int {
        outer@ for (i in 0..hay.size - needle.size) {
            for (j in needle.indices) if (hay[i + j] != needle[j]) continue@outer
            return i
        }
        return -1
    }
}
