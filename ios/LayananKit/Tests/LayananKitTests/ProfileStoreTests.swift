import Foundation
import XCTest
import Layanan
@testable import LayananKit

/// Stands in for the iOS Keychain on Linux: the same contract, kept in memory.
final class InMemorySecretStore: SecretStore, @unchecked Sendable {
    private var items: [String: Data] = [:]
    private let lock = NSLock()
    var locked = false

    func write(account: String, secret: Data) throws {
        lock.lock(); defer { lock.unlock() }
        if locked { throw SecretStoreError.unavailable("device locked") }
        items[account] = secret
    }

    func read(account: String) throws -> Data? {
        lock.lock(); defer { lock.unlock() }
        if locked { throw SecretStoreError.unavailable("device locked") }
        return items[account]
    }

    func delete(account: String) throws {
        lock.lock(); defer { lock.unlock() }
        items[account] = nil
    }

    var count: Int { lock.lock(); defer { lock.unlock() }; return items.count }
}

/// A vault behind a "biometric prompt": unwrapping waits until ``answer()``.
final class BiometricPromptVault: KeyVault, @unchecked Sendable {
    private let inner: KeyVault
    private let lock = NSLock()
    private var shown = false
    private var waiting: CheckedContinuation<Void, Never>?
    private(set) var answered = false

    init(inner: KeyVault) { self.inner = inner }

    func wrapKey(profileId: String, dataKey: Data) async throws -> Data {
        try await inner.wrapKey(profileId: profileId, dataKey: dataKey)
    }

    func unwrapKey(profileId: String, wrapped: Data) async throws -> Data {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            shown = true
            if answered { lock.unlock(); c.resume() } else { waiting = c; lock.unlock() }
        }
        return try await inner.unwrapKey(profileId: profileId, wrapped: wrapped)
    }

    func destroyKey(profileId: String) async throws {
        try await inner.destroyKey(profileId: profileId)
    }

    /// Waits (polling the flag, up to 10 s) until the vault was asked to unwrap.
    func waitUntilShown() async throws {
        for _ in 0..<1000 {
            if wasShown() { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        throw TestFailure(description: "the vault was never asked")
    }

    private func wasShown() -> Bool {
        lock.lock(); defer { lock.unlock() }
        return shown
    }

    /// The citizen looks at the phone.
    func answer() {
        lock.lock()
        answered = true
        let c = waiting
        waiting = nil
        lock.unlock()
        c?.resume()
    }
}

final class CollectingSink: LogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var _records: [LogRecord] = []
    func log(record: LogRecord) { lock.lock(); _records.append(record); lock.unlock() }
    var records: [LogRecord] { lock.lock(); defer { lock.unlock() }; return _records }
}

/// The foundation scenario, in Swift against the real liblayanan: two profiles on one
/// phone, sealed details and stored settings, reopen, wrong key, wipe, a vault that
/// waits for a biometric prompt.
final class ProfileStoreTests: XCTestCase {
    let nama = "Siti Nurhaliza binti Abdullah"
    let nik = "3201014501900007"
    let alamat = "Jl. Merdeka No. 17, RT 003/RW 005, Desa Sukamaju, Kec. Cibinong"
    let catatan = "Mohon dipercepat — anak saya perlu akta kelahiran untuk sekolah. Terima kasih 🙏"
    var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("layanan-swift-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: dir)
    }

    func testTwoProfilesDetailsReopenWrongKeyAndWipe() async throws {
        let sink = CollectingSink()
        initLogging(sink: sink, maxLevel: .debug)

        let keychainIbu = InMemorySecretStore()
        let keychainAnak = InMemorySecretStore()
        let vaultIbu = KeychainKeyVault(store: keychainIbu)
        let vaultAnak = KeychainKeyVault(store: keychainAnak)
        let dataDir = dir.appendingPathComponent("data").path

        var store = try await ProfileStore.open(dataDir: dataDir)
        let ibu = try await store.createProfile(label: "Ibu", vault: vaultIbu)
        let anak = try await store.createProfile(label: "Anak", vault: vaultAnak)
        let ibuId = ibu.id(), anakId = anak.id()
        try await ibu.account().setDetails(details: ProfileDetails(
            fullName: nama, nik: nik, birthDate: "1990-01-05", phone: "+6281234567890", address: alamat))
        try await anak.account().setDetails(details: ProfileDetails(
            fullName: "Anak", nik: nil, birthDate: nil, phone: nil, address: catatan))
        try await ibu.account().setSyncSettings(settings: SyncSettings(wifiOnly: true))

        // Reopen: a new store object on the same files.
        store = try await ProfileStore.open(dataDir: dataDir)
        let labels = try await store.listProfiles().map(\.label)
        XCTAssertEqual(labels, ["Ibu", "Anak"])
        let ibu2 = try await store.unlockProfile(profileId: ibuId, vault: vaultIbu)
        let details = try await ibu2.account().details()
        XCTAssertEqual(details.fullName, nama)
        XCTAssertEqual(details.address, alamat)
        let settings = try await ibu2.account().syncSettings()
        XCTAssertTrue(settings.wifiOnly, "stored, not in memory")
        let drafts = try await ibu2.drafts().list()
        XCTAssertTrue(drafts.isEmpty)

        // A keychain holding a different key for Ibu (restored from another phone):
        // a clear WrongKey, not corruption.
        let otherKeychain = InMemorySecretStore()
        try otherKeychain.write(account: "id.layanan.profile.\(ibuId)", secret: Data(repeating: 7, count: 32))
        await assertThrows(StoreError.WrongKey) {
            _ = try await store.unlockProfile(profileId: ibuId, vault: KeychainKeyVault(store: otherKeychain))
        }
        // A keychain without the item: the key is lost.
        await assertThrows(StoreError.KeyLost) {
            _ = try await store.unlockProfile(profileId: anakId, vault: KeychainKeyVault(store: InMemorySecretStore()))
        }
        // A locked keychain: try again later.
        keychainAnak.locked = true
        await assertThrows(StoreError.KeyUnavailable(reason: "device locked")) {
            _ = try await store.unlockProfile(profileId: anakId, vault: vaultAnak)
        }
        keychainAnak.locked = false

        // Wipe Ibu: her keychain item goes, Anak's profile is intact.
        try await store.removeProfile(profileId: ibuId, vault: vaultIbu)
        XCTAssertEqual(keychainIbu.count, 0)
        let remaining = try await store.listProfiles().map(\.label)
        XCTAssertEqual(remaining, ["Anak"])
        await assertThrows(StoreError.NotFound(kind: .profile, id: ibuId)) {
            _ = try await store.unlockProfile(profileId: ibuId, vault: vaultIbu)
        }
        let anak2 = try await store.unlockProfile(profileId: anakId, vault: vaultAnak)
        let anakDetails = try await anak2.account().details()
        XCTAssertEqual(anakDetails.address, catatan)

        // The raw files hold none of the personal text, and neither do the logs.
        let secrets = [nama, nik, alamat]
        let files = FileManager.default.enumerator(atPath: dataDir)?.compactMap { $0 as? String } ?? []
        XCTAssertFalse(files.isEmpty)
        for name in files {
            let path = (dataDir as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            for secret in secrets {
                XCTAssertNil(bytes.range(of: Data(secret.utf8)), "plain text in \(name)")
            }
        }
        XCTAssertTrue(sink.records.contains { $0.message.contains("created profile") })
        for record in sink.records {
            for secret in secrets { XCTAssertFalse(record.message.contains(secret)) }
        }
    }

    /// A vault that waits for Face ID: unwrapping suspends until the prompt is
    /// answered. The caller is not blocked meanwhile, and the core keeps answering
    /// other calls (the waiting vault holds no Rust thread).
    func testAVaultThatSuspendsForABiometricPromptBlocksNobody() async throws {
        let keychain = InMemorySecretStore()
        let store = try await ProfileStore.open(dataDir: dir.path)
        let id = try await store.createProfile(label: "Nenek", vault: KeychainKeyVault(store: keychain)).id()
        let prompt = BiometricPromptVault(inner: KeychainKeyVault(store: keychain))
        let unlocking = Task { try await store.unlockProfile(profileId: id, vault: prompt) }
        try await prompt.waitUntilShown()
        for _ in 0..<5 {
            let labels = try await store.listProfiles().map(\.label)
            XCTAssertEqual(labels, ["Nenek"])
        }
        _ = try await store.createProfile(label: "Cucu", vault: PassphraseVault(passphrase: "jangan lupa"))
        XCTAssertFalse(prompt.answered, "still waiting for the face")
        prompt.answer()
        let unlocked = try await unlocking.value
        XCTAssertEqual(unlocked.id(), id)
    }

    func testRustPassphraseVaultWorksFromSwift() async throws {
        let store = try await ProfileStore.open(dataDir: dir.path)
        let id = try await store.createProfile(label: "Kakek", vault: PassphraseVault(passphrase: "kopi tubruk pagi")).id()
        _ = try await store.unlockProfile(profileId: id, vault: PassphraseVault(passphrase: "kopi tubruk pagi"))
        await assertThrows(StoreError.WrongKey) {
            _ = try await store.unlockProfile(profileId: id, vault: PassphraseVault(passphrase: "kopi susu pagi"))
        }
    }

    func testBadInputIsATypedError() async throws {
        let store = try await ProfileStore.open(dataDir: dir.path)
        let p = try await store.createProfile(label: "Saya", vault: KeychainKeyVault(store: InMemorySecretStore()))
        await assertThrows(StoreError.NotFound(kind: .draft, id: "no-such-draft")) {
            _ = try await p.drafts().load(draftId: "no-such-draft")
        }
        do {
            _ = try await store.createProfile(label: "   ", vault: KeychainKeyVault(store: InMemorySecretStore()))
            XCTFail("an empty label must be refused")
        } catch StoreError.InvalidInput {
        }
    }

    private func assertThrows(_ expected: StoreError, file: StaticString = #filePath, line: UInt = #line,
                              _ body: () async throws -> Void) async {
        do {
            try await body()
            XCTFail("expected \(expected)", file: file, line: line)
        } catch let error as StoreError {
            XCTAssertEqual(error, expected, file: file, line: line)
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
    }
}
