package id.layanan.presentation

import kotlinx.coroutines.CoroutineScope

/** The onboarding screen: a nickname, a language, a protection, then "Create". */
data class OnboardingState(
    val strings: Strings,
    val language: Language,
    val name: String = "",
    val protection: Protection = Protection.DEVICE,
    val pin: String = "",
    /** The protections this phone offers (biometrics only where enrolled). */
    val protections: List<Protection>,
    val creating: Boolean = false,
    /** What stops "Create", in the app's language; null when nothing does. */
    val error: String? = null,
    /** The new profile's id once it exists (the navigator has gone home). */
    val createdProfileId: String? = null,
) {
    val pinNeeded: Boolean get() = protection == Protection.PIN
}

/**
 * Creates the first (or another) profile on the phone. The language chosen here is
 * the app's from then on; the protection decides which vault wraps the profile's
 * data key and is remembered so the unlock screen asks the right way.
 */
class OnboardingModel(
    private val app: LayananApp,
    private val navigator: Navigator,
    scope: CoroutineScope,
) : ScreenModel<OnboardingState>(
    OnboardingState(
        strings = Strings.of(app.language.value),
        language = app.language.value,
        protections = Protection.entries.filter { it != Protection.BIOMETRIC || app.config.deviceKeys.biometricsAvailable },
    ),
    scope,
) {
    fun chooseLanguage(language: Language) = intent {
        app.setLanguage(language)
        set { it.copy(language = language, strings = Strings.of(language), error = null) }
    }

    fun setName(name: String) = intent { set { it.copy(name = name, error = null) } }

    fun chooseProtection(protection: Protection) = intent {
        val s = current.strings
        if (protection !in current.protections) {
            set { it.copy(error = s[Msg.BIOMETRIC_NOT_AVAILABLE]) }
        } else {
            set { it.copy(protection = protection, error = null) }
        }
    }

    /** Keeps digits only: the PIN pad has nothing else. */
    fun setPin(pin: String) = intent { set { it.copy(pin = pin.filter(Char::isDigit), error = null) } }

    fun create() = intent {
        val st = current
        val s = st.strings
        val label = st.name.trim()
        val problem = when {
            label.isEmpty() -> s[Msg.PROFILE_NAME_REQUIRED]
            st.pinNeeded && st.pin.length < MIN_PIN_DIGITS -> s[Msg.PIN_TOO_SHORT]
            else -> null
        }
        if (problem != null) {
            set { it.copy(error = problem) }
            return@intent
        }
        set { it.copy(creating = true, error = null) }
        catching({ e -> set { it.copy(creating = false, error = e.userMessage(st.language, st.protection)) } }) {
            val vault = app.config.deviceKeys.vaultFor(st.protection, st.pin)
            val profile = app.store().createProfile(label, vault)
            app.rememberProtection(profile.id(), st.protection)
            val session = app.begin(profile, label)
            set { it.copy(creating = false, pin = "", createdProfileId = session.profileId) }
            navigator.reset(Route.Home)
        }
    }
}
