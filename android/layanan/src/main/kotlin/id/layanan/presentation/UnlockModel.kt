package id.layanan.presentation

import id.layanan.core.StoreException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.launchIn
import kotlinx.coroutines.flow.onEach

/** A profile on the picker, before unlocking. */
data class ProfileChoice(val id: String, val label: String, val protection: Protection)

/** Where an unlock stands. */
enum class UnlockPhase {
    IDLE,

    /** The vault is showing the biometric prompt (or deriving the PIN's key). */
    UNLOCKING,
    UNLOCKED,
}

data class UnlockState(
    val strings: Strings,
    val profiles: List<ProfileChoice> = emptyList(),
    val selected: ProfileChoice? = null,
    val pin: String = "",
    val phase: UnlockPhase = UnlockPhase.IDLE,
    /** What the citizen sees while [phase] is UNLOCKING. */
    val progress: String? = null,
    val error: String? = null,
    /** The key is gone for good: the only way on is removing the profile. */
    val offerRemoval: Boolean = false,
) {
    val pinNeeded: Boolean get() = selected?.protection == Protection.PIN
}

/**
 * The profile picker and unlock prompt. Every failure of the vault has its own
 * message: a wrong PIN (try again), a cancelled or impossible prompt (try again), a
 * key store that holds another key (nothing damaged), a lost key (remove the
 * profile: its data cannot be read by anyone any more).
 */
class UnlockModel(
    private val app: LayananApp,
    private val navigator: Navigator,
    scope: CoroutineScope,
) : ScreenModel<UnlockState>(UnlockState(Strings.of(app.language.value)), scope) {
    init {
        app.language.onEach { l -> set { it.copy(strings = Strings.of(l)) } }.launchIn(scope)
    }

    /** Reads the profiles on the phone; selects the only one, if there is one. */
    fun load() = intent {
        val profiles = app.store().listProfiles().map { ProfileChoice(it.id, it.label, app.protectionOf(it.id)) }
        set { st -> st.copy(profiles = profiles, selected = st.selected?.takeIf { it in profiles } ?: profiles.singleOrNull()) }
        if (profiles.isEmpty()) navigator.reset(Route.Onboarding)
    }

    fun select(profileId: String) = intent {
        set { st -> st.copy(selected = st.profiles.first { it.id == profileId }, pin = "", error = null, offerRemoval = false) }
    }

    fun setPin(pin: String) = intent { set { it.copy(pin = pin.filter(Char::isDigit), error = null) } }

    fun unlock() = intent {
        val st = current
        val choice = st.selected ?: return@intent
        val s = st.strings
        val waiting = if (choice.protection == Protection.BIOMETRIC) s[Msg.WAITING_FOR_PROMPT] else s[Msg.UNLOCKING]
        set { it.copy(phase = UnlockPhase.UNLOCKING, progress = waiting, error = null, offerRemoval = false) }
        catching({ e ->
            set {
                it.copy(
                    phase = UnlockPhase.IDLE, progress = null, pin = "",
                    error = e.userMessage(app.language.value, choice.protection),
                    offerRemoval = e is StoreException.KeyLost,
                )
            }
        }) {
            val vault = app.config.deviceKeys.vaultFor(choice.protection, st.pin)
            val profile = app.store().unlockProfile(choice.id, vault)
            app.begin(profile, choice.label)
            set { it.copy(phase = UnlockPhase.UNLOCKED, progress = null, pin = "") }
            navigator.reset(Route.Home)
        }
    }

    /** Removes the selected profile (offered when its key is lost). */
    fun removeSelected() = intent {
        val choice = current.selected ?: return@intent
        catching({ e -> set { it.copy(error = e.userMessage(app.language.value)) } }) {
            removeProfile(app, choice.id)
            set { it.copy(selected = null, offerRemoval = false, error = null) }
        }
        val profiles = app.store().listProfiles().map { ProfileChoice(it.id, it.label, app.protectionOf(it.id)) }
        set { it.copy(profiles = profiles, selected = profiles.singleOrNull()) }
        if (profiles.isEmpty()) navigator.reset(Route.Onboarding)
    }

    fun newProfile() = intent { navigator.go(Route.Onboarding) }
}

/**
 * Wipes [profileId] from the phone: its wrapped key first (crypto-shredding), then
 * its data, then what the app remembered about it. Works with a lost key too: the
 * vault is only asked to forget its key.
 */
internal suspend fun removeProfile(app: LayananApp, profileId: String) {
    if (app.session.value?.profileId == profileId) app.end()
    val protection = app.protectionOf(profileId)
    app.store().removeProfile(profileId, app.config.deviceKeys.vaultFor(protection, null))
    app.rememberProtection(profileId, null)
}
