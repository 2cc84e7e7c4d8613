import Foundation
import Layanan
import Observation

/// First start (or "add a profile"): choose the language, name the profile, choose how
/// it is protected, create it. The profile is created unlocked and handed to
/// `onCreated`.
@MainActor
@Observable
public final class OnboardingModel {
    public enum Step: Equatable, Sendable { case language, name, protection }

    public private(set) var step: Step = .language
    public private(set) var language: AppLanguage = .indonesian
    public var label = ""
    public private(set) var protection: Protection
    public var passphrase = ""
    public var passphraseConfirmation = ""
    /// The sentence to show under the current step, when something needs fixing.
    public private(set) var message: String?
    public private(set) var busy = false
    public var strings: Strings { Strings(language) }
    public var biometricsAvailable: Bool { config.biometricsAvailable }
    /// The protections to offer, the recommended one first.
    public var protections: [Protection] {
        biometricsAvailable ? [.biometrics, .deviceKey, .passphrase] : [.deviceKey, .passphrase]
    }
    /// Whether the citizen can go back from here (a profile already exists).
    public let canCancel: Bool

    private let store: ProfileStore
    private let config: AppConfig
    private let preferences: Preferences
    private let onCreated: @MainActor (Profile, ProfileInfo) async -> Void
    let onCancel: @MainActor () async -> Void

    init(store: ProfileStore, config: AppConfig, preferences: Preferences, canCancel: Bool,
         onCreated: @escaping @MainActor (Profile, ProfileInfo) async -> Void,
         onCancel: @escaping @MainActor () async -> Void) {
        self.store = store
        self.config = config
        self.preferences = preferences
        self.canCancel = canCancel
        self.onCreated = onCreated
        self.onCancel = onCancel
        protection = config.biometricsAvailable ? .biometrics : .deviceKey
    }

    public func choose(_ language: AppLanguage) {
        self.language = language
        message = nil
    }

    public func choose(_ protection: Protection) {
        if protection == .biometrics && !biometricsAvailable {
            message = strings.biometricsUnavailable
            return
        }
        self.protection = protection
        message = nil
    }

    /// Goes to the next step when this one is complete.
    public func next() {
        message = nil
        switch step {
        case .language: step = .name
        case .name:
            if label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                message = strings.profileNameMissing
            } else {
                step = .protection
            }
        case .protection: break
        }
    }

    public func back() {
        message = nil
        switch step {
        case .language: break
        case .name: step = .language
        case .protection: step = .name
        }
    }

    public func cancel() async { await onCancel() }

    /// Creates the profile; false (with ``message``) when something needs fixing.
    @discardableResult
    public func create() async -> Bool {
        guard step == .protection, !busy else { return false }
        message = nil
        if protection == .passphrase {
            if passphrase.count < 8 { message = strings.passphraseTooShort; return false }
            if passphrase != passphraseConfirmation { message = strings.passphraseMismatch; return false }
        }
        busy = true
        defer { busy = false }
        let name = label.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            let vault = config.vaults.vault(protection, passphrase: passphrase)
            let profile = try await store.createProfile(label: name, vault: vault)
            let id = profile.id()
            try preferences.set(id, .init(language: language, protection: protection))
            let info = try await store.listProfiles().first { $0.id == id }
                ?? ProfileInfo(id: id, label: name, createdAtMs: 0)
            passphrase = ""
            passphraseConfirmation = ""
            await onCreated(profile, info)
            return true
        } catch {
            message = strings.message(error)
            return false
        }
    }
}
