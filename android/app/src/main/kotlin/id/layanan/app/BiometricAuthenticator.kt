package id.layanan.app

import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_STRONG
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import androidx.biometric.BiometricPrompt
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity
import id.layanan.android.DeviceAuthenticator
import kotlin.coroutines.resume
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * androidx.biometric's prompt as the adapters' [DeviceAuthenticator]: suspends
 * until the citizen authenticates (true) or cancels (false). The activity attaches
 * itself while it is in front.
 */
class BiometricAuthenticator : DeviceAuthenticator {
    @Volatile var activity: FragmentActivity? = null

    override suspend fun authenticate(): Boolean {
        val host = activity ?: return false
        return suspendCancellableCoroutine { done ->
            val prompt = BiometricPrompt(
                host, ContextCompat.getMainExecutor(host),
                object : BiometricPrompt.AuthenticationCallback() {
                    override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) = done.resume(true)
                    override fun onAuthenticationError(code: Int, message: CharSequence) = done.resume(false)
                },
            )
            host.runOnUiThread {
                prompt.authenticate(
                    BiometricPrompt.PromptInfo.Builder()
                        .setTitle(host.getString(R.string.app_name))
                        .setAllowedAuthenticators(BIOMETRIC_STRONG or DEVICE_CREDENTIAL)
                        .build(),
                )
            }
            done.invokeOnCancellation { host.runOnUiThread { prompt.cancelAuthentication() } }
        }
    }
}
