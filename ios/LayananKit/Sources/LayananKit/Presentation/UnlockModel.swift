import Foundation
import Layanan
import Observation

/// Opening a profile: pick it (a shared phone holds several), then unlock with its
/// protection. A wrong password, a cancelled Face ID prompt, a key the phone cannot
/// read yet and a key lost for good each get their own sentence; a lost key offers
/// removing the profile.
@MainActor
@Observable
public final class UnlockModel {
    public struct Choice: Identifiable, Equatable, Sendable {
        public let id: String
        public let label: String
        public let protection: Protection
        public let language: AppLanguage
    }

    public enum Failure: Equatable, Sendable {
        case wrongSecret, cancelled, unavailable, lost, damaged, other
    }

    public private(set) var profiles: [Choice] = []
    public private(set) var selectedId: String?
    public var passphrase = ""
    public private(set) var failure: Failure?
    public private(set) var message: String?
    public private(set) var busy = false

    public var selected: Choice? { profiles.first { $0.id == selectedId } }
    /// The selected profile's language (the screen speaks it before it opens).
    public var strings: Strings { Strings(selected?.language ?? .indonesian) }
    public var needsPassphrase: Bool { selected?.protection == .passphrase }
    public var unlockButton: String { strings.unlockButton(selected?.protection ?? .deviceKey) }
    /// Only a profile whose key is gone is offered for removal here.
    public var offersRemoval: Bool { failure == .lost }

    private let store: ProfileStore
    private let config: AppConfig
    private let preferences: Preferences
    private let onUnlocked: @MainActor (Profile, Choice) async -> Void
    private let onAddProfile: @MainActor () async -> Void
    private let onRemoved: @MainActor () async -> Void

    init(store: ProfileStore, config: AppConfig, preferences: Preferences,
         onUnlocked: @escaping @MainActor (Profile, Choice) async -> Void,
         onAddProfile: @escaping @MainActor () async -> Void,
         onRemoved: @escaping @MainActor () async -> Void) {
        self.store = store
        self.config = config
        self.preferences = preferences
        self.onUnlocked = onUnlocked
        self.onAddProfile = onAddProfile
        self.onRemoved = onRemoved
    }

    func load() async throws {
        profiles = try await store.listProfiles().map { info in
            let prefs = preferences.profile(info.id)
            return Choice(id: info.id, label: info.label, protection: prefs?.protection ?? .deviceKey,
                          language: prefs?.language ?? .indonesian)
        }
        let last = preferences.lastProfileId
        selectedId = profiles.first { $0.id == last }?.id ?? profiles.first?.id
    }

    public func select(_ id: String) {
        guard profiles.contains(where: { $0.id == id }) else { return }
        selectedId = id
        passphrase = ""
        failure = nil
        message = nil
    }

    /// Unlocks the selected profile (a biometric prompt waits here, no thread held).
    @discardableResult
    public func unlock() async -> Bool {
        guard let choice = selected, !busy else { return false }
        busy = true
        defer { busy = false }
        failure = nil
        message = nil
        let vault = config.vaults.vault(choice.protection, passphrase: passphrase)
        do {
            let profile = try await store.unlockProfile(profileId: choice.id, vault: vault)
            passphrase = ""
            try? preferences.setLastProfile(choice.id)
            await onUnlocked(profile, choice)
            return true
        } catch let error as StoreError {
            failure = Self.failure(error, protection: choice.protection)
            message = failure == .wrongSecret ? strings.wrongSecret : strings.message(error)
            return false
        } catch {
            failure = .other
            message = strings.message(error)
            return false
        }
    }

    static func failure(_ error: StoreError, protection: Protection) -> Failure {
        switch error {
        case .WrongKey: return protection == .passphrase ? .wrongSecret : .other
        case .KeyUnavailable(let reason): return reason == KeychainKeyVault.cancelledReason ? .cancelled : .unavailable
        case .KeyLost: return .lost
        case .Corrupt, .DatabaseDamaged, .SchemaTooNew, .Damaged: return .damaged
        case .Locked, .NotFound, .InvalidInput, .DiskFull, .Storage, .Internal, .WipePending: return .other
        }
    }

    /// Removes the selected profile (offered when its key is lost).
    public func removeSelected() async {
        guard let choice = selected else { return }
        do {
            try await store.removeProfile(profileId: choice.id, vault: config.vaults.vault(choice.protection))
            try preferences.remove(choice.id)
            failure = nil
            message = nil
            await onRemoved()
        } catch {
            message = strings.message(error)
        }
    }

    public func addProfile() async { await onAddProfile() }
}
