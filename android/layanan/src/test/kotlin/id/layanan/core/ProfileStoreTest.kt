package id.layanan.core

import id.layanan.vault.AesGcmKeyVault
import id.layanan.vault.WrappingKeyProvider
import java.io.File
import java.nio.file.Files
import java.util.concurrent.ConcurrentHashMap
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Before
import org.junit.Test

/** A vault that shows a "biometric prompt": unwrapping waits until [touch] completes. */
class BiometricPromptVault(private val inner: KeyVault) : KeyVault {
    val shown = CompletableDeferred<Unit>()
    val touch = CompletableDeferred<Unit>()
    override suspend fun wrapKey(profileId: String, dataKey: ByteArray) = inner.wrapKey(profileId, dataKey)
    override suspend fun unwrapKey(profileId: String, wrapped: ByteArray): ByteArray {
        shown.complete(Unit)
        touch.await()
        return inner.unwrapKey(profileId, wrapped)
    }
    override suspend fun destroyKey(profileId: String) = inner.destroyKey(profileId)
}

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
 * phone, sealed details and stored settings, reopen, wrong key, wipe, a vault that
 * waits for a biometric prompt.
 */
class ProfileStoreTest {
    private lateinit var dir: File

    private val nama = "Siti Nurhaliza binti Abdullah"
    private val nik = "3201014501900007"
    private val alamat = "Jl. Merdeka No. 17, RT 003/RW 005, Desa Sukamaju, Kec. Cibinong"
    private val catatan = "Mohon dipercepat — anak saya perlu akta kelahiran untuk sekolah. Terima kasih 🙏"

    @Before fun setUp() { dir = Files.createTempDirectory("layanan-kt").toFile() }
    @After fun tearDown() { dir.deleteRecursively() }

    @Test fun twoProfilesDetailsReopenWrongKeyAndWipe() = runBlocking {
        val sink = CollectingSink()
        initLogging(sink, LogLevel.DEBUG)

        val keysIbu = InMemoryKeys()
        val keysAnak = InMemoryKeys()
        val vaultIbu = AesGcmKeyVault(keysIbu)
        val vaultAnak = AesGcmKeyVault(keysAnak)

        var ibuId = ""
        var anakId = ""
        ProfileStore.open(File(dir, "data").path).use { store ->
            val ibu = store.createProfile("Ibu", vaultIbu)
            val anak = store.createProfile("Anak", vaultAnak)
            ibuId = ibu.id(); anakId = anak.id()
            ibu.account().setDetails(ProfileDetails(nama, nik, "1990-01-05", "+6281234567890", alamat))
            anak.account().setDetails(ProfileDetails("Anak", null, null, null, catatan))
            ibu.account().setSyncSettings(SyncSettings(wifiOnly = true))
            ibu.close(); anak.close()
        }

        ProfileStore.open(File(dir, "data").path).use { store ->
            assertEquals(listOf("Ibu", "Anak"), store.listProfiles().map { it.label })
            store.unlockProfile(ibuId, vaultIbu).use { ibu ->
                assertEquals(nama, ibu.account().details().fullName)
                assertEquals(alamat, ibu.account().details().address)
                assertTrue("stored, not in memory", ibu.account().syncSettings().wifiOnly)
                assertTrue(ibu.drafts().list().isEmpty())
                assertNull(ibu.account().server())
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
            } catch (e: StoreException.NotFound) { assertEquals(NotFoundKind.PROFILE, e.kind) }

            store.unlockProfile(anakId, vaultAnak).use { anak ->
                assertEquals(catatan, anak.account().details().address)
                assertFalse(anak.account().syncSettings().wifiOnly)
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

    /**
     * A vault that waits for the citizen's fingerprint: unwrapping suspends until the
     * prompt is answered. The caller's thread stays free meanwhile, and the core keeps
     * answering other calls (no Rust thread is held by the waiting vault).
     */
    @Test fun aVaultThatSuspendsForABiometricPromptBlocksNobody() = runBlocking {
        val keys = InMemoryKeys()
        ProfileStore.open(dir.path).use { store ->
            val id = store.createProfile("Nenek", AesGcmKeyVault(keys)).use { it.id() }
            val prompt = BiometricPromptVault(AesGcmKeyVault(keys))
            // runBlocking runs on this one thread: if the unlock blocked it, nothing
            // below could run until the prompt was answered.
            val unlocking = async { store.unlockProfile(id, prompt) }
            withTimeout(10_000) { prompt.shown.await() }
            assertFalse(unlocking.isCompleted)
            repeat(5) { assertEquals(listOf("Nenek"), store.listProfiles().map { it.label }) }
            val other = store.createProfile("Cucu", PassphraseVault("jangan lupa"))
            other.close()
            assertFalse("still waiting for the finger", unlocking.isCompleted)
            prompt.touch.complete(Unit)
            unlocking.await().use { assertEquals(id, it.id()) }

            // A cancelled prompt is a typed, retryable error.
            val cancelled = BiometricPromptVault(AesGcmKeyVault(keys))
            cancelled.touch.completeExceptionally(VaultException.Unavailable("the citizen cancelled"))
            try {
                store.unlockProfile(id, cancelled)
                fail("a cancelled prompt must not unlock")
            } catch (e: StoreException.KeyUnavailable) { assertTrue(e.reason.contains("cancelled")) }
        }
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
                p.drafts().load("no-such-draft")
                fail("unknown draft")
            } catch (e: StoreException.NotFound) { assertEquals(NotFoundKind.DRAFT, e.kind) }
            try {
                p.outbox().item("uuid:00000000-0000-4000-8000-000000000000")
                fail("unknown outbox item")
            } catch (e: StoreException.NotFound) { assertEquals(NotFoundKind.OUTBOX_ITEM, e.kind) }
            try {
                store.createProfile("   ", AesGcmKeyVault(InMemoryKeys()))
                fail("an empty label")
            } catch (e: StoreException.InvalidInput) { /* expected */ }
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
