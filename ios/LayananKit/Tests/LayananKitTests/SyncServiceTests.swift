import Foundation
import XCTest
import Layanan
@testable import LayananKit

final class RecordingListener: SyncListener, @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [SyncEvent] = []
    func onEvent(event: SyncEvent) { lock.lock(); _events.append(event); lock.unlock() }
    var events: [SyncEvent] { lock.lock(); defer { lock.unlock() }; return _events }
}

/// The citizen's journey through the outbox, from Swift, against the real reference
/// server that tests/swift/run.sh starts (TEST_SERVER_URL, TEST_SERVER_LOG, TEST_AGENCY_KEY).
final class SyncServiceTests: XCTestCase {
    let env = ProcessInfo.processInfo.environment
    var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("layanan-swift-sync-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func submission(_ iid: String, _ formId: String, _ nama: String, _ photo: String) -> Data {
        Data(("<?xml version=\"1.0\"?>\n<data id=\"\(formId)\" version=\"2026.1\" xmlns:orx=\"http://openrosa.org/xforms\">"
            + "<nama>\(nama)</nama><foto_ktp>\(photo)</foto_ktp><orx:meta><orx:instanceID>\(iid)</orx:instanceID></orx:meta></data>").utf8)
    }

    func testFinalizeSyncReceiptAndPoisonItem() async throws {
        guard let url = env["TEST_SERVER_URL"], let log = env["TEST_SERVER_LOG"], let key = env["TEST_AGENCY_KEY"] else {
            throw XCTSkip("run through tests/swift/run.sh, which starts the server")
        }
        let store = try ProfileStore.open(dataDir: dir.appendingPathComponent("data").path)
        let profile = try await store.createProfile(label: "Warga", vault: KeychainKeyVault(store: InMemorySecretStore()))
        let sync = try SyncService(profile: profile, serverUrl: url, agencyPublicKeyHex: key)
        let seen = ServerLog.codes(log).count
        let challenge = try await sync.startSignIn(phone: "081234567891")
        try await sync.finishSignIn(challengeId: challenge.challengeId, code: try ServerLog.newCode(log, after: seen))

        let photo = Data((0..<150_000).map { UInt8($0 % 251) })
        let photoURL = dir.appendingPathComponent("foto.jpg")
        try photo.write(to: photoURL)
        let draft = try await profile.createDraft(formId: "domisili", formVersion: "2026.1", answers: ["/data/nama": "Dewi Lestari"])
        _ = try await profile.addAttachment(draftId: draft.id, fileName: "foto.jpg", mediaType: "image/jpeg", sourcePath: photoURL.path)
        let good = "uuid:" + UUID().uuidString.lowercased()
        let queued = try await profile.finalizeDraft(draftId: draft.id, instanceId: good,
                                                     submissionXml: submission(good, "domisili", "Dewi Lestari", "foto.jpg"))
        XCTAssertEqual(queued.state, .queued)
        XCTAssertEqual(queued.attachmentCount, 1)
        let poisonDraft = try await profile.createDraft(formId: "tidak_ada", formVersion: "1", answers: [:])
        let poison = "uuid:" + UUID().uuidString.lowercased()
        _ = try await profile.finalizeDraft(draftId: poisonDraft.id, instanceId: poison,
                                            submissionXml: submission(poison, "tidak_ada", "Budi", ""))

        let listener = RecordingListener()
        let report = try await sync.syncNow(timeBudgetSecs: 60, listener: listener)
        XCTAssertEqual(report.sent, 1)
        XCTAssertEqual(report.wedged, 1)
        XCTAssertEqual(report.remaining, 0)

        let sent = try await profile.outboxItem(instanceId: good)
        XCTAssertEqual(sent.state, .sent)
        XCTAssertEqual(sent.receipt?.instanceId, good)
        let wedged = try await profile.outboxItem(instanceId: poison)
        XCTAssertEqual(wedged.state, .wedged)
        XCTAssertEqual(wedged.error?.code, "unknown_form")
        XCTAssertFalse(wedged.error?.message.isEmpty ?? true)

        guard case .started = listener.events.first else { return XCTFail("first event must be Started") }
        XCTAssertTrue(listener.events.contains { if case .upload(_, let sent, _) = $0 { return sent == 150_000 } else { return false } })
        guard case .finished(let finished) = listener.events.last else { return XCTFail("last event must be Finished") }
        XCTAssertEqual(finished.sent, 1)

        sync.setNetwork(state: NetworkState(connected: false, metered: false))
        let offline = try await sync.syncNow(timeBudgetSecs: 60, listener: nil)
        XCTAssertEqual(offline.stopped, .offline)
    }
}
