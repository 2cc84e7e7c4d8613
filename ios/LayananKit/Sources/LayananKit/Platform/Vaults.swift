import Foundation
import Layanan

/// How a profile's data key is protected, chosen at onboarding.
public enum Protection: String, Codable, CaseIterable, Sendable {
    /// Face ID / Touch ID at every unlock (Keychain `.biometryCurrentSet`).
    case biometrics
    /// The phone's own lock: the key opens after the first unlock since boot.
    case deviceKey
    /// A password the citizen types (for a phone shared by a family without
    /// biometrics for each member). PBKDF2 in the core.
    case passphrase
}

/// Makes the ``KeyVault`` for a protection. The app passes the Keychain stores; the
/// Linux tests pass in-memory stores (the Keychain does not exist there).
public struct Vaults: Sendable {
    private let deviceKeys: SecretStore
    private let biometricKeys: SecretStore

    public init(deviceKeys: SecretStore, biometricKeys: SecretStore) {
        self.deviceKeys = deviceKeys
        self.biometricKeys = biometricKeys
    }

    #if canImport(Security)
    /// The iOS Keychain, with `prompt` under the Face ID sheet.
    public static func keychain(prompt: String) -> Vaults {
        Vaults(deviceKeys: KeychainSecretStore(protection: .afterFirstUnlock),
               biometricKeys: KeychainSecretStore(protection: .biometryCurrentSet, prompt: prompt))
    }
    #endif

    /// The vault for `protection`; `passphrase` is used only by ``Protection/passphrase``.
    public func vault(_ protection: Protection, passphrase: String = "") -> KeyVault {
        switch protection {
        case .biometrics: return KeychainKeyVault(store: biometricKeys)
        case .deviceKey: return KeychainKeyVault(store: deviceKeys)
        case .passphrase: return PassphraseVault(passphrase: passphrase)
        }
    }
}
