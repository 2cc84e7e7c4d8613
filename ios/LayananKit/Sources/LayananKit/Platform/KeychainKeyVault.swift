import Foundation
import Layanan

/// Where the Keychain vault keeps data keys. On iOS, ``KeychainSecretStore`` (the
/// real Keychain); elsewhere, whatever the host provides (tests use memory).
public protocol SecretStore: AnyObject, Sendable {
    /// Stores `secret` under `account`, replacing an older one.
    func write(account: String, secret: Data) throws
    /// The secret under `account`, or nil when there is none.
    func read(account: String) throws -> Data?
    /// Removes the secret under `account` (no error when absent).
    func delete(account: String) throws
}

/// Why a ``SecretStore`` failed.
public enum SecretStoreError: Error, Equatable {
    /// The store cannot answer now (e.g. device locked before first unlock).
    case unavailable(String)
    /// The citizen dismissed the Face ID / Touch ID prompt.
    case cancelled
}

/// A ``KeyVault`` for iOS: the Keychain holds each profile's data key as a
/// device-only item (kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly), so it never
/// leaves the phone in a backup. What the Layanan store keeps is only a reference:
/// `"layanan-keychain/v1:" + item account`. The methods are `async`: a Keychain item
/// bound to `.biometryCurrentSet` waits for Face ID / Touch ID without holding a thread.
public final class KeychainKeyVault: KeyVault, @unchecked Sendable {
    private let store: SecretStore
    private static let prefix = "layanan-keychain/v1:"
    /// The `reason` of `VaultError.Unavailable` (and so of `StoreError.KeyUnavailable`)
    /// when the citizen cancelled the biometric prompt: the unlock screen tells a
    /// cancelled prompt from a device that cannot answer yet.
    public static let cancelledReason = "biometric prompt cancelled"

    public init(store: SecretStore) {
        self.store = store
    }

    private func account(_ profileId: String) -> String { "id.layanan.profile.\(profileId)" }

    public func wrapKey(profileId: String, dataKey: Data) async throws -> Data {
        let account = account(profileId)
        try guarded { try store.write(account: account, secret: dataKey) }
        return Data((Self.prefix + account).utf8)
    }

    public func unwrapKey(profileId: String, wrapped: Data) async throws -> Data {
        guard let reference = String(data: wrapped, encoding: .utf8),
              reference == Self.prefix + account(profileId)
        else {
            // Not a reference this vault wrote for this profile.
            throw VaultError.WrongSecret
        }
        guard let key = try guarded({ try store.read(account: account(profileId)) }) else {
            throw VaultError.KeyLost
        }
        return key
    }

    public func destroyKey(profileId: String) async throws {
        try guarded { try store.delete(account: account(profileId)) }
    }

    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch SecretStoreError.unavailable(let reason) {
            throw VaultError.Unavailable(reason: reason)
        } catch SecretStoreError.cancelled {
            throw VaultError.Unavailable(reason: Self.cancelledReason)
        }
    }
}
