package id.layanan.presentation

import id.layanan.core.OutboxState
import id.layanan.core.SignInChallenge
import id.layanan.core.SyncSettings
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.launchIn
import kotlinx.coroutines.flow.onEach

data class SettingsState(
    val strings: Strings,
    val language: Language,
    val wifiOnly: Boolean = false,
    /** "Masuk ke https://..." or "Belum masuk". */
    val accountText: String = "",
    val signedIn: Boolean = false,
    val phone: String = "",
    /** Set while the SMS code is awaited: its prompt ("Masukkan 6 angka kode dari SMS"). */
    val codePrompt: String? = null,
    val code: String = "",
    val busy: Boolean = false,
    val error: String? = null,
    /** Set while "remove this profile" waits for confirmation: what will be lost. */
    val removeConfirmation: String? = null,
)

/**
 * Settings: the app's language (every screen re-renders), Wi-Fi only (stored in
 * the profile: the background job follows it from its next run), signing in with an
 * SMS code and out, and removing this profile from the phone after a confirmation
 * that says how many forms are still unsent.
 */
class SettingsModel(
    private val app: LayananApp,
    private val session: Session,
    private val navigator: Navigator,
    scope: CoroutineScope,
) : ScreenModel<SettingsState>(SettingsState(Strings.of(app.language.value), app.language.value), scope) {
    private var challenge: SignInChallenge? = null

    init {
        app.language.onEach { l -> set { it.copy(strings = Strings.of(l), language = l) }; refreshAccount() }.launchIn(scope)
    }

    fun load() = intent {
        val wifiOnly = session.profile.account().syncSettings().wifiOnly
        set { it.copy(wifiOnly = wifiOnly) }
        refreshAccount()
    }

    private suspend fun refreshAccount() {
        val s = Strings.of(app.language.value)
        val account = catching({ null }) { session.profile.account().server() }
        val signedIn = account?.signedIn == true
        set {
            it.copy(
                signedIn = signedIn,
                accountText = if (signedIn) s.format(Msg.SIGNED_IN, account!!.serverUrl) else s[Msg.SIGNED_OUT],
            )
        }
    }

    fun setLanguage(language: Language) = intent { app.setLanguage(language) }

    fun setWifiOnly(wifiOnly: Boolean) = intent {
        session.profile.account().setSyncSettings(SyncSettings(wifiOnly))
        set { it.copy(wifiOnly = wifiOnly) }
        // The job's network constraint follows the setting.
        if (session.updates.outbox.value.any { it.state != OutboxState.SENT }) app.config.scheduler.schedule(wifiOnly)
    }

    fun setPhone(phone: String) = intent { set { it.copy(phone = phone.filter { c -> c.isDigit() || c == '+' }, error = null) } }

    fun startSignIn() = intent {
        val l = app.language.value
        set { it.copy(busy = true, error = null) }
        catching({ e -> set { it.copy(busy = false, error = e.userMessage(l)) } }) {
            val c = session.sync.startSignIn(current.phone)
            challenge = c
            set { it.copy(busy = false, codePrompt = Strings.of(l).format(Msg.ENTER_CODE, c.codeLength), code = "") }
        }
    }

    fun setCode(code: String) = intent { set { it.copy(code = code.filter(Char::isDigit), error = null) } }

    fun finishSignIn() = intent {
        val c = challenge ?: return@intent
        val l = app.language.value
        set { it.copy(busy = true, error = null) }
        catching({ e -> set { it.copy(busy = false, error = e.userMessage(l)) } }) {
            session.sync.finishSignIn(c.challengeId, current.code)
            challenge = null
            set { it.copy(busy = false, codePrompt = null, code = "") }
            refreshAccount()
            if (session.updates.outbox.value.any { it.state != OutboxState.SENT }) {
                app.config.scheduler.schedule(current.wifiOnly)
            }
        }
    }

    fun signOut() = intent {
        app.signOut(session)
        refreshAccount()
    }

    fun askRemove() = intent {
        val s = Strings.of(app.language.value)
        val unsent = session.updates.outbox.value.count { it.state != OutboxState.SENT }
        val warning = if (unsent > 0) " " + s.format(Msg.REMOVE_UNSENT_WARNING, unsent) else ""
        set { it.copy(removeConfirmation = s[Msg.REMOVE_CONFIRM] + warning) }
    }

    fun cancelRemove() = intent { set { it.copy(removeConfirmation = null) } }

    fun confirmRemove() = intent {
        if (current.removeConfirmation == null) return@intent
        val l = app.language.value
        set { it.copy(busy = true) }
        catching({ e -> set { it.copy(busy = false, error = e.userMessage(l)) } }) {
            removeProfile(app, session.profileId)
            set { it.copy(busy = false, removeConfirmation = null) }
            val left = app.store().listProfiles()
            navigator.reset(if (left.isEmpty()) Route.Onboarding else Route.Unlock)
        }
    }

    /** Locks the profile and returns to the picker. */
    fun lock() = intent {
        app.lock()
        navigator.reset(Route.Unlock)
    }
}
