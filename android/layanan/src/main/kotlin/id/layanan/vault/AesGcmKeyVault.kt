package id.layanan.vault

import id.layanan.core.KeyVault
import id.layanan.core.VaultException
import java.nio.ByteBuffer
import java.security.GeneralSecurityException
import java.security.SecureRandom
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * Where the wrapping keys live. On Android, [AndroidKeystoreKeys] keeps one AES key
 * per profile in Android Keystore (hardware-backed where the phone has it); the JVM
 * tests use an in-memory provider. The vault code is the same for both.
 */
interface WrappingKeyProvider {
    /** The profile's wrapping key, created on first use. */
    fun getOrCreate(profileId: String): SecretKey

    /** The profile's wrapping key, or null when it no longer exists. */
    fun get(profileId: String): SecretKey?

    /** Deletes the profile's wrapping key. */
    fun delete(profileId: String)
}

/**
 * A [KeyVault] that wraps a profile's data key with AES-256-GCM under a per-profile
 * key from a [WrappingKeyProvider]. Wrapped layout: `[0x01][12-byte IV][ciphertext+tag]`,
 * with the profile id as associated data so a wrapped key cannot be moved between
 * profiles. The methods suspend: a provider whose key needs the citizen's
 * fingerprint shows the prompt and resumes when it is answered, holding no thread.
 */
class AesGcmKeyVault(private val keys: WrappingKeyProvider) : KeyVault {
    private val random = SecureRandom()

    override suspend fun wrapKey(profileId: String, dataKey: ByteArray): ByteArray = guard {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        val iv = ByteArray(IV_LEN).also(random::nextBytes)
        cipher.init(Cipher.ENCRYPT_MODE, keys.getOrCreate(profileId), GCMParameterSpec(TAG_BITS, iv))
        cipher.updateAAD(aad(profileId))
        val sealed = cipher.doFinal(dataKey)
        ByteBuffer.allocate(1 + IV_LEN + sealed.size).put(VERSION).put(iv).put(sealed).array()
    }

    override suspend fun unwrapKey(profileId: String, wrapped: ByteArray): ByteArray = guard {
        if (wrapped.size < 1 + IV_LEN + TAG_BITS / 8 || wrapped[0] != VERSION) {
            throw VaultException.WrongSecret()
        }
        val key = keys.get(profileId) ?: throw VaultException.KeyLost()
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, wrapped, 1, IV_LEN))
        cipher.updateAAD(aad(profileId))
        try {
            cipher.doFinal(wrapped, 1 + IV_LEN, wrapped.size - 1 - IV_LEN)
        } catch (e: AEADBadTagException) {
            throw VaultException.WrongSecret()
        }
    }

    override suspend fun destroyKey(profileId: String) = guard { keys.delete(profileId) }

    private inline fun <T> guard(block: () -> T): T =
        try {
            block()
        } catch (e: VaultException) {
            throw e
        } catch (e: GeneralSecurityException) {
            // Android Keystore invalidates a biometric-bound key for good when a new
            // fingerprint or face is enrolled (KeyPermanentlyInvalidatedException, an
            // Android class, hence the name): the data key is lost, not unavailable.
            if (e.javaClass.simpleName == "KeyPermanentlyInvalidatedException") throw VaultException.KeyLost()
            // Other Keystore errors (user not authenticated...) arrive here; the class
            // name says which without leaking anything personal.
            throw VaultException.Unavailable(e.javaClass.simpleName)
        }

    private fun aad(profileId: String) = "layanan/aes-gcm-vault/v1:$profileId".toByteArray()

    private companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_LEN = 12
        const val TAG_BITS = 128
        const val VERSION: Byte = 1
    }
}
