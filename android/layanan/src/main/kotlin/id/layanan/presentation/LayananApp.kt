package id.layanan.presentation

import id.layanan.core.NetworkState
import id.layanan.core.Profile
import id.layanan.core.ProfileStore
import id.layanan.core.SyncService
import id.layanan.flow.ProfileUpdates
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/** What the platform hands the presentation layer once, at process start. */
class AppConfig(
    /** The app's private data directory (`Context.getFilesDir()/layanan`). */
    val dataDir: String,
    /** The agency server this build talks to. */
    val serverUrl: String,
    /** The agency's Ed25519 receipt key, shipped with the app (64 hex digits). */
    val agencyKeyHex: String,
    val preferences: Preferences,
    val deviceKeys: DeviceKeys,
    /** The device's current offset from UTC in minutes (WIB 420, WITA 480, WIT 540). */
    val utcOffsetMinutes: () -> Int,
    val scheduler: BackgroundScheduler,
    val notifier: Notifier,
)

/** An unlocked profile with its sync service and live updates: what the screens share. */
class Session internal constructor(
    val profile: Profile,
    val label: String,
    sync: SyncService,
    val updates: ProfileUpdates,
) {
    val profileId: String = profile.id()

    /** The profile's sync service; replaced after signing out (see [LayananApp.signOut]). */
    @Volatile var sync: SyncService = sync
        internal set
}

/**
 * The process-wide state of the app: the store (opened once), the app's language,
 * the network as the platform last reported it, and the unlocked [Session] if any.
 * One instance per process (the Android `Application` holds it); screen models and
 * the background sync job take it.
 */
class LayananApp(val config: AppConfig) {
    private val storeLock = Mutex()
    private var store: ProfileStore? = null
    private val languageState = MutableStateFlow(Language.of(config.preferences.get(PrefKeys.LANGUAGE)))
    private val sessionState = MutableStateFlow<Session?>(null)
    @Volatile private var network: NetworkState? = null

    /** The language every screen renders in; changing it re-renders them. */
    val language: StateFlow<Language> = languageState.asStateFlow()

    /** The unlocked profile, or null (the unlock or onboarding screen shows). */
    val session: StateFlow<Session?> = sessionState.asStateFlow()

    val preferences: Preferences get() = config.preferences

    fun setLanguage(language: Language) {
        config.preferences.set(PrefKeys.LANGUAGE, language.code)
        languageState.value = language
    }

    /** The store, opened on first use (on the core's background threads). */
    suspend fun store(): ProfileStore = storeLock.withLock {
        store ?: ProfileStore.open(config.dataDir).also { store = it }
    }

    /** How [profileId] is protected, as chosen at onboarding. */
    fun protectionOf(profileId: String): Protection =
        config.preferences.get(PrefKeys.protection(profileId))?.let { runCatching { Protection.valueOf(it) }.getOrNull() }
            ?: Protection.DEVICE

    internal fun rememberProtection(profileId: String, protection: Protection?) =
        config.preferences.set(PrefKeys.protection(profileId), protection?.name)

    /** Makes [profile] the app's session: a sync service and one subscription to its changes. */
    internal suspend fun begin(profile: Profile, label: String): Session {
        end()
        val sync = SyncService(profile, config.serverUrl, config.agencyKeyHex)
        network?.let(sync::setNetwork)
        val session = Session(profile, label, sync, ProfileUpdates.of(profile))
        sessionState.value = session
        return session
    }

    /** The platform's connectivity callback reports here; the session's sync follows it. */
    fun setNetwork(state: NetworkState) {
        network = state
        sessionState.value?.sync?.setNetwork(state)
    }

    /**
     * Signs the session's profile out. The core's `Account.signOut` forgets the stored
     * tokens, but a running `SyncService` keeps the session it already read in memory,
     * so the service is replaced by a fresh one that reads the (now empty) account.
     */
    suspend fun signOut(session: Session) {
        session.profile.account().signOut()
        val old = session.sync
        session.sync = SyncService(session.profile, config.serverUrl, config.agencyKeyHex).also { fresh ->
            network?.let(fresh::setNetwork)
        }
        old.close()
    }

    /** Locks the profile (its key is overwritten) and returns to the unlock screen. */
    fun lock() {
        val s = sessionState.value ?: return
        sessionState.value = null
        s.updates.close()
        s.profile.lock()
        s.sync.close()
        s.profile.close()
    }

    /** Ends the session without locking (the profile was removed). */
    internal fun end() {
        val s = sessionState.value ?: return
        sessionState.value = null
        s.updates.close()
        s.sync.close()
        s.profile.close()
    }

    /** Closes everything, as the process ending does. */
    fun close() {
        lock()
        store?.close()
        store = null
    }
}
