#if canImport(Security)
import Foundation
import Security
#if canImport(LocalAuthentication)
import LocalAuthentication
#endif

/// The iOS Keychain as a ``SecretStore``: generic-password items, this device only,
/// so a key never leaves the phone in a backup.
///
/// - ``Protection/afterFirstUnlock``: readable after the first unlock since boot, so a
///   background task can open the profile.
/// - ``Protection/biometryCurrentSet``: each read asks for Face ID / Touch ID, and the
///   item is invalidated when a face or finger is added or removed (the read then finds
///   nothing: the vault reports `KeyLost`). A background task cannot open such a
///   profile; it syncs only while the citizen has it unlocked.
public final class KeychainSecretStore: SecretStore, @unchecked Sendable {
    public enum Protection: Sendable {
        case afterFirstUnlock
        case biometryCurrentSet
    }

    private let service: String
    private let protection: Protection
    private let prompt: String

    /// `prompt` is the sentence under the Face ID sheet (shown in the app's language).
    public init(service: String = "id.layanan.keys", protection: Protection = .afterFirstUnlock,
                prompt: String = "") {
        self.service = service
        self.protection = protection
        self.prompt = prompt
    }

    private func query(_ account: String) -> [String: Any] {
        [kSecClass as String: kSecClassGenericPassword,
         kSecAttrService as String: service,
         kSecAttrAccount as String: account]
    }

    public func write(account: String, secret: Data) throws {
        try delete(account: account)
        var attributes = query(account)
        attributes[kSecValueData as String] = secret
        switch protection {
        case .afterFirstUnlock:
            attributes[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        case .biometryCurrentSet:
            var error: Unmanaged<CFError>?
            guard let access = SecAccessControlCreateWithFlags(
                nil, kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, .biometryCurrentSet, &error)
            else {
                throw SecretStoreError.unavailable("access control: \(String(describing: error?.takeRetainedValue()))")
            }
            attributes[kSecAttrAccessControl as String] = access
        }
        try check(SecItemAdd(attributes as CFDictionary, nil))
    }

    public func read(account: String) throws -> Data? {
        var q = query(account)
        q[kSecReturnData as String] = true
        q[kSecMatchLimit as String] = kSecMatchLimitOne
        #if canImport(LocalAuthentication)
        if protection == .biometryCurrentSet {
            let context = LAContext()
            context.localizedReason = prompt
            q[kSecUseAuthenticationContext as String] = context
        }
        #endif
        var out: CFTypeRef?
        let status = SecItemCopyMatching(q as CFDictionary, &out)
        if status == errSecItemNotFound { return nil }
        try check(status)
        return out as? Data
    }

    public func delete(account: String) throws {
        let status = SecItemDelete(query(account) as CFDictionary)
        if status != errSecItemNotFound { try check(status) }
    }

    private func check(_ status: OSStatus) throws {
        switch status {
        case errSecSuccess: return
        case errSecUserCanceled: throw SecretStoreError.cancelled
        default: throw SecretStoreError.unavailable("keychain status \(status)")
        }
    }
}
#endif
