import Foundation
import Layanan
import Observation

/// The app's root: which screen is up. The store opens once per process; with no
/// profile the app onboards, with profiles it asks to unlock one, and an unlocked
/// profile lands on home.
@MainActor
@Observable
public final class AppModel {
    public enum Screen {
        case starting
        case onboarding(OnboardingModel)
        case unlock(UnlockModel)
        case home(HomeModel)
        /// The store could not open (damaged database, newer app version, full disk).
        case failed(String)
    }

    public private(set) var screen: Screen = .starting
    public private(set) var session: ProfileSession?
    public let config: AppConfig

    @ObservationIgnored private var store: ProfileStore?
    let preferences: Preferences

    public init(config: AppConfig) {
        self.config = config
        preferences = Preferences(path: config.preferencesPath)
    }

    /// Opens the store and shows the first screen.
    public func start() async {
        do {
            let store: ProfileStore
            if let open = self.store {
                store = open
            } else {
                store = try await ProfileStore.open(dataDir: config.dataDir)
                self.store = store
            }
            let profiles = try await store.listProfiles()
            if profiles.isEmpty {
                showOnboarding(store, canCancel: false)
            } else {
                try await showUnlock(store)
            }
        } catch {
            screen = .failed(Strings(.indonesian).message(error))
        }
    }

    private func showOnboarding(_ store: ProfileStore, canCancel: Bool) {
        screen = .onboarding(OnboardingModel(
            store: store, config: config, preferences: preferences, canCancel: canCancel,
            onCreated: { [weak self] profile, info in
                let prefs = self?.preferences.profile(info.id)
                await self?.open(profile, label: info.label, protection: prefs?.protection ?? .deviceKey,
                                 language: prefs?.language ?? .indonesian)
            },
            onCancel: { [weak self] in await self?.start() }))
    }

    private func showUnlock(_ store: ProfileStore) async throws {
        let model = UnlockModel(
            store: store, config: config, preferences: preferences,
            onUnlocked: { [weak self] profile, choice in
                await self?.open(profile, label: choice.label, protection: choice.protection, language: choice.language)
            },
            onAddProfile: { [weak self] in self?.showOnboarding(store, canCancel: true) },
            onRemoved: { [weak self] in await self?.start() })
        try await model.load()
        screen = .unlock(model)
    }

    private func open(_ profile: Profile, label: String, protection: Protection, language: AppLanguage) async {
        do {
            let session = try ProfileSession(profile: profile, label: label, protection: protection,
                                             language: language, config: config, preferences: preferences)
            try await session.start()
            self.session = session
            screen = .home(HomeModel(session: session, actions: .init(
                lock: { [weak self] in await self?.lock() },
                removeProfile: { [weak self] in await self?.remove() })))
        } catch {
            profile.lock()
            screen = .failed(Strings(language).message(error))
        }
    }

    /// Locks the open profile and goes back to the unlock screen.
    public func lock() async {
        session?.lock()
        session = nil
        await start()
    }

    /// Removes the open profile from the phone: its key first, then its data.
    func remove() async {
        guard let session, let store else { return }
        let id = session.profileId
        let vault = config.vaults.vault(session.protection)
        session.lock()
        self.session = nil
        do {
            try await store.removeProfile(profileId: id, vault: vault)
            try preferences.remove(id)
        } catch {
            screen = .failed(session.strings.message(error))
            return
        }
        await start()
    }
}
