package id.layanan.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import id.layanan.vault.WrappingKeyProvider
import java.security.KeyStore
import java.security.ProviderException
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * One AES-256-GCM wrapping key per profile in Android Keystore (alias
 * `layanan.wrap.<profileId>`), for [id.layanan.vault.AesGcmKeyVault].
 *
 * - StrongBox (a separate secure chip, API 28+) is asked for where the phone has
 *   one; a phone without it answers StrongBoxUnavailableException and gets a
 *   TEE-backed key instead. The API 23 jar this compiles against has neither, so
 *   both are reached by name.
 * - With [userAuthentication], the key is released only within
 *   [authValiditySecs] of the citizen's fingerprint, face or screen lock
 *   (`setUserAuthenticationRequired`), and a new enrolment invalidates it for good
 *   (the vault then reports KeyLost).
 * - The vault supplies a fresh random IV for each wrap (SecureRandom), so the
 *   Keystore's own IV randomisation is turned off: with it on, Keystore refuses any
 *   caller-provided IV.
 */
class AndroidKeystoreKeys(
    private val userAuthentication: Boolean,
    private val authValiditySecs: Int = 30,
) : WrappingKeyProvider {
    private val keyStore: KeyStore = KeyStore.getInstance(PROVIDER).apply { load(null) }

    override fun getOrCreate(profileId: String): SecretKey = get(profileId) ?: create(alias(profileId))

    override fun get(profileId: String): SecretKey? = keyStore.getKey(alias(profileId), null) as SecretKey?

    override fun delete(profileId: String) {
        if (keyStore.containsAlias(alias(profileId))) keyStore.deleteEntry(alias(profileId))
    }

    private fun create(alias: String): SecretKey =
        try {
            generate(alias, strongBox = Build.VERSION.SDK_INT >= STRONGBOX_API)
        } catch (e: ProviderException) {
            if (e.javaClass.simpleName != "StrongBoxUnavailableException") throw e
            generate(alias, strongBox = false)
        }

    private fun generate(alias: String, strongBox: Boolean): SecretKey {
        val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(KEY_BITS)
            .setRandomizedEncryptionRequired(false)
            .apply {
                if (userAuthentication) {
                    setUserAuthenticationRequired(true)
                    setUserAuthenticationValidityDurationSeconds(authValiditySecs)
                }
                if (strongBox) {
                    javaClass.getMethod("setIsStrongBoxBacked", Boolean::class.javaPrimitiveType).invoke(this, true)
                }
            }
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER).run {
            init(spec)
            generateKey()
        }
    }

    private fun alias(profileId: String) = "layanan.wrap.$profileId"

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
        const val KEY_BITS = 256
        const val STRONGBOX_API = 28
    }
}
