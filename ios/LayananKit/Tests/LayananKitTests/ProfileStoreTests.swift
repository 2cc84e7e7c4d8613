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

final class CollectingSink: LogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var _records: [LogRecord] = []
    func log(record: LogRecord) { lock.lock(); _records.append(record); lock.unlock() }
    var records: [LogRecord] { lock.lock(); defer { lock.unlock() }; return _records }
}

/// The foundation scenario, in Swift against the real liblayanan: two profiles on one
/// phone, drafts with Indonesian text and an attachment, reopen, wrong key, wipe.
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

    func testTwoProfilesDraftsAttachmentsReopenWrongKeyAndWipe() async throws {
        let sink = CollectingSink()
        initLogging(sink: sink, maxLevel: .debug)

        let keychainIbu = InMemorySecretStore()
        let keychainAnak = InMemorySecretStore()
        let vaultIbu = KeychainKeyVault(store: keychainIbu)
        let vaultAnak = KeychainKeyVault(store: keychainAnak)
        let photo = Data((0..<300_000).map { UInt8(($0 * 31) % 251) })
        let photoURL = dir.appendingPathComponent("kamera.jpg")
        try photo.write(to: photoURL)
        let dataDir = dir.appendingPathComponent("data").path

        var store = try ProfileStore.open(dataDir: dataDir)
        let ibu = try await store.createProfile(label: "Ibu", vault: vaultIbu)
        let anak = try await store.createProfile(label: "Anak", vault: vaultAnak)
        let ibuId = ibu.id(), anakId = anak.id()
        try await ibu.setDetails(details: ProfileDetails(
            fullName: nama, nik: nik, birthDate: "1990-01-05", phone: "+6281234567890", address: alamat))
        let draft = try await ibu.createDraft(formId: "akta_kelahiran", formVersion: "2026.1",
                                              answers: ["/data/nama_ibu": nama])
        _ = try await ibu.saveDraft(draftId: draft.id, answers: [
            "/data/nama_ibu": nama, "/data/nik_ibu": nik, "/data/alamat": alamat, "/data/catatan": catatan,
        ])
        let info = try await ibu.addAttachment(draftId: draft.id, fileName: "foto_ktp.jpg",
                                               mediaType: "image/jpeg", sourcePath: photoURL.path)
        XCTAssertEqual(info.size, 300_000)
        XCTAssertEqual(info.chunkCount, 5)
        _ = try await anak.createDraft(formId: "pengaduan", formVersion: "1",
                                       answers: ["/data/isi": "Jalan rusak di depan sekolah"])

        // Reopen: a new store object on the same files.
        store = try ProfileStore.open(dataDir: dataDir)
        let labels = try await store.listProfiles().map(\.label)
        XCTAssertEqual(labels, ["Ibu", "Anak"])
        let ibu2 = try await store.unlockProfile(profileId: ibuId, vault: vaultIbu)
        let loaded = try await ibu2.loadDraft(draftId: draft.id)
        XCTAssertEqual(loaded.formId, "akta_kelahiran")
        XCTAssertEqual(loaded.answers["/data/catatan"], catatan)
        XCTAssertEqual(loaded.answers["/data/alamat"], alamat)
        let details = try await ibu2.details()
        XCTAssertEqual(details.fullName, nama)
        let out = dir.appendingPathComponent("export.jpg")
        let exported = try await ibu2.exportAttachment(attachmentId: info.id, destPath: out.path)
        XCTAssertEqual(exported, 300_000)
        XCTAssertEqual(try Data(contentsOf: out), photo)
        let chunk = try await ibu2.readAttachmentChunk(attachmentId: info.id, index: 1)
        XCTAssertEqual(chunk, photo.subdata(in: 65_536..<131_072))

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
        await assertThrows(StoreError.NotFound(kind: "profile", id: ibuId)) {
            _ = try await store.unlockProfile(profileId: ibuId, vault: vaultIbu)
        }
        let anak2 = try await store.unlockProfile(profileId: anakId, vault: vaultAnak)
        let drafts = try await anak2.listDrafts()
        XCTAssertEqual(drafts.count, 1)
        let anakDraft = try await anak2.loadDraft(draftId: drafts[0].id)
        XCTAssertEqual(anakDraft.answers["/data/isi"], "Jalan rusak di depan sekolah")

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

    func testRustPassphraseVaultWorksFromSwift() async throws {
        let store = try ProfileStore.open(dataDir: dir.path)
        let id = try await store.createProfile(label: "Kakek", vault: PassphraseVault(passphrase: "kopi tubruk pagi")).id()
        _ = try await store.unlockProfile(profileId: id, vault: PassphraseVault(passphrase: "kopi tubruk pagi"))
        await assertThrows(StoreError.WrongKey) {
            _ = try await store.unlockProfile(profileId: id, vault: PassphraseVault(passphrase: "kopi susu pagi"))
        }
    }

    func testBadInputIsATypedError() async throws {
        let store = try ProfileStore.open(dataDir: dir.path)
        let p = try await store.createProfile(label: "Saya", vault: KeychainKeyVault(store: InMemorySecretStore()))
        do {
            _ = try await p.addAttachment(draftId: nil, fileName: "../../etc/passwd", mediaType: "image/jpeg",
                                          sourcePath: dir.appendingPathComponent("nope").path)
            XCTFail("a path in the file name must be refused")
        } catch StoreError.InvalidInput {
        }
        await assertThrows(StoreError.NotFound(kind: "draft", id: "no-such-draft")) {
            _ = try await p.loadDraft(draftId: "no-such-draft")
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
