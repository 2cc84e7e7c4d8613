package id.layanan.presentation

import id.layanan.core.KeyVault
import id.layanan.core.PassphraseVault

/** How a profile's data key is protected; chosen at onboarding. */
enum class Protection {
    /** A key in the phone's key store (Android Keystore), no prompt. */
    DEVICE,

    /** A key-store key that only the citizen's fingerprint or face releases. */
    BIOMETRIC,

    /** A PIN of the profile's own, for phones shared by a family (PBKDF2 in the core). */
    PIN,
}

/**
 * The platform's key store, as the presentation layer needs it. Android: Android
 * Keystore keys behind `AesGcmKeyVault` (`id.layanan.android.KeystoreDeviceKeys`);
 * the JVM tests: real AES keys kept in memory.
 */
interface DeviceKeys {
    /** Whether the phone can protect a key with a fingerprint or face now. */
    val biometricsAvailable: Boolean

    /**
     * The vault for a profile protected by the key store; with [biometric] its key
     * is released only after the citizen's fingerprint or face (the vault shows the
     * prompt and suspends until it is answered).
     */
    fun vault(biometric: Boolean): KeyVault
}

/** The vault that opens a profile protected by [protection]; [pin] only for [Protection.PIN]. */
internal fun DeviceKeys.vaultFor(protection: Protection, pin: String?): KeyVault = when (protection) {
    Protection.DEVICE -> vault(biometric = false)
    Protection.BIOMETRIC -> vault(biometric = true)
    Protection.PIN -> PassphraseVault(pin ?: "")
}

/** Shortest PIN the onboarding accepts. */
internal const val MIN_PIN_DIGITS = 6
