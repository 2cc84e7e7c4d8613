package id.layanan.android

import android.app.KeyguardManager
import android.content.Context
import android.hardware.fingerprint.FingerprintManager
import id.layanan.core.KeyVault
import id.layanan.core.VaultException
import id.layanan.presentation.DeviceKeys
import id.layanan.vault.AesGcmKeyVault

/**
 * Shows the platform's biometric prompt and resumes when the citizen answered it:
 * true when they authenticated, false when they cancelled. The app implements it
 * with androidx.biometric's BiometricPrompt (android/app), which this module cannot
 * compile against here.
 */
fun interface DeviceAuthenticator {
    suspend fun authenticate(): Boolean
}

/**
 * The presentation layer's [DeviceKeys] on Android: Android Keystore keys behind
 * [AesGcmKeyVault]. A biometric-bound vault asks [authenticator] first and then
 * uses its key within the authentication's validity window; wrapping (at profile
 * creation) asks too, because encrypting with such a key needs the citizen as much
 * as decrypting does.
 */
class KeystoreDeviceKeys(
    private val context: Context,
    private val authenticator: DeviceAuthenticator,
) : DeviceKeys {
    override val biometricsAvailable: Boolean
        get() {
            val keyguard = context.getSystemService(Context.KEYGUARD_SERVICE) as KeyguardManager
            if (!keyguard.isDeviceSecure) return false
            @Suppress("DEPRECATION")
            val fingerprints = context.getSystemService(FingerprintManager::class.java) ?: return false
            return try {
                @Suppress("DEPRECATION")
                fingerprints.isHardwareDetected && fingerprints.hasEnrolledFingerprints()
            } catch (e: SecurityException) {
                false // USE_FINGERPRINT not granted (it is a normal permission in the manifest)
            }
        }

    override fun vault(biometric: Boolean): KeyVault {
        val inner = AesGcmKeyVault(AndroidKeystoreKeys(userAuthentication = biometric))
        return if (biometric) PromptedVault(inner, authenticator) else inner
    }
}

/** A vault whose every key use waits for the citizen at the prompt first. */
private class PromptedVault(private val inner: KeyVault, private val authenticator: DeviceAuthenticator) : KeyVault {
    override suspend fun wrapKey(profileId: String, dataKey: ByteArray): ByteArray {
        prompt()
        return inner.wrapKey(profileId, dataKey)
    }

    override suspend fun unwrapKey(profileId: String, wrapped: ByteArray): ByteArray {
        prompt()
        return inner.unwrapKey(profileId, wrapped)
    }

    override suspend fun destroyKey(profileId: String) = inner.destroyKey(profileId)

    private suspend fun prompt() {
        if (!authenticator.authenticate()) throw VaultException.Unavailable("the citizen cancelled the prompt")
    }
}
