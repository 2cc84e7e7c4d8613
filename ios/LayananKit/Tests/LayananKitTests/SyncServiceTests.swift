import Foundation
import XCTest
import Layanan
@testable import LayananKit

final class RecordingListener: SyncListener, @unchecked Sendable {
    private let lock = NSLock()
    private var _events: [SyncEvent] = []
    func onEvent(event: SyncEvent) { lock.lock(); _events.append(event); lock.unlock() }
    var events: [SyncEvent] { lock.lock(); defer { lock.unlock() }; return _events }
    var uploaded: Bool { events.contains { if case .upload = $0 { return true } else { return false } } }
}

/// A JPEG header (SOI, JFIF, a 640 x 480 baseline SOF0) and `size` bytes in all: the core checks a photo is a photo.
func jpegStandIn(_ size: Int) -> Data {
    let header: [UInt8] = [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00,
    ]
    var data = Data(header)
    data.append(contentsOf: (header.count..<max(size, header.count)).map { UInt8($0 % 251) })
    return data
}

/// What a screen offers for each outbox error: exhaustive, so a new code is a compile error.
func advice(_ code: OutboxErrorCode) -> String {
    switch code {
    case .network, .badAnswer, .captivePortal, .incomplete: return "will be resent automatically"
    case .receiptInvalid: return "contact support"
    case .attachmentDamaged: return "retake the photo, then re-attach it"
    case .http(let status): return "the server refused (\(status))"
    case .server(let code):
        switch code {
        case .unknownForm: return "this service no longer takes this form"
        case .payloadTooLarge: return "make the photo smaller"
        case .invalidSubmission: return "fix the answers"
        case .instanceIdConflict, .attachmentConflict: return "contact support"
        case .rateLimited, .serviceUnavailable, .internal: return "will be resent"
        case .unauthorized, .tokenExpired, .refreshTokenReused, .challengeExpired: return "sign in again"
        case .badRequest, .forbidden, .notFound, .methodNotAllowed, .unsupportedMediaType, .invalidPhone,
             .invalidCode, .uploadOffsetMismatch, .checksumMismatch, .uploadIncomplete, .invalidTransition,
             .unknown:
            return "contact support"
        }
    }
}

func label(_ state: SubmissionState) -> String {
    switch state {
    case .received: return "Diterima"
    case .inReview: return "Diperiksa"
    case .needsFix: return "Perlu diperbaiki"
    case .approved: return "Disetujui"
    case .rejected: return "Ditolak"
    }
}

func why(_ stopped: StopReason?) -> String {
    switch stopped {
    case nil: return "done"
    case .serverUnreachable: return "server unreachable"
    case .timeBudget: return "out of time"
    case .signInRequired: return "sign in"
    case .offline: return "offline"
    case .waitingForUnmetered: return "waiting for Wi-Fi"
    case .cancelled: return "cancelled"
    }
}

/// The citizen's journey through the outbox, from Swift, against the real reference
/// server that tests/swift/run.sh starts, through the link simulator's proxies
/// (TEST_DROP_PROXY_URL drops one connection mid-upload, TEST_SLOW_PROXY_URL is slow).
final class SyncServiceTests: XCTestCase {
    let env = ProcessInfo.processInfo.environment
    var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("layanan-swift-sync-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func need(_ name: String) throws -> String {
        guard let value = env[name] else { throw XCTSkip("run through tests/swift/run.sh ($name)") }
        return value
    }

    func signedIn(_ profile: Profile, url: String, phone: String) async throws -> SyncService {
        let log = try need("TEST_SERVER_LOG")
        let sync = try SyncService(profile: profile, serverUrl: url, agencyPublicKeyHex: try need("TEST_AGENCY_KEY"))
        let seen = ServerLog.codes(log).count
        let challenge = try await sync.startSignIn(phone: phone)
        try await sync.finishSignIn(challengeId: challenge.challengeId, code: try ServerLog.newCode(log, after: seen))
        _ = try await sync.updateForms()
        return sync
    }

    /// Fills the domisili form with a name and a photo and puts it in the outbox.
    func fileDomisili(_ profile: Profile, formId: String = "domisili", nama: String, photoBytes: Int) async throws -> String {
        let form = try await FormSession.start(profile: profile, formId: formId, language: "id", utcOffsetMinutes: 420)
        _ = try await form.answer(path: "/data/nama", value: nama)
        let photo = dir.appendingPathComponent("foto-\(UUID().uuidString).jpg")
        try jpegStandIn(photoBytes).write(to: photo)
        _ = try await form.attachFile(path: "/data/foto_ktp", fileName: "foto.jpg", mediaType: "image/jpeg", sourcePath: photo.path)
        try FileManager.default.removeItem(at: photo)
        return try await form.finalize().instanceId
    }

    func testTheOutboxStreamShowsQueuedSendingSentThroughADroppedConnection() async throws {
        let link = try need("TEST_DROP_PROXY_URL")
        let stats = try need("TEST_DROP_PROXY_STATS")
        let store = try await ProfileStore.open(dataDir: dir.appendingPathComponent("data").path)
        let profile = try await store.createProfile(label: "Warga", vault: KeychainKeyVault(store: InMemorySecretStore()))
        let sync = try await signedIn(profile, url: link, phone: "081234567895")
        let first = try await fileDomisili(profile, nama: "Dewi Lestari", photoBytes: 150_000)
        let second = try await fileDomisili(profile, nama: "Made Wirawan", photoBytes: 90_000)

        // A screen: subscribes once, then only iterates.
        let updates = try await ProfileUpdates.of(profile)
        let screen = Task { () -> [[OutboxItem]] in
            var seen: [[OutboxItem]] = []
            for await items in updates.outbox {
                seen.append(items)
                if items.count == 2 && items.allSatisfy({ $0.state == .sent }) { break }
            }
            return seen
        }
        let report = try await sync.syncNow(timeBudgetSecs: 120, listener: nil).report()
        XCTAssertEqual(report.sent, 2)
        let seen = await screen.value
        updates.close()
        let resets = (try? String(contentsOfFile: stats, encoding: .utf8)) ?? ""
        XCTAssertTrue(resets.contains("resets=1"), "the link dropped a connection: \(resets)")

        XCTAssertEqual(seen.first?.map(\.instanceId), [first, second])
        for id in [first, second] {
            var states: [OutboxState] = []
            for list in seen {
                if let state = list.first(where: { $0.instanceId == id })?.state, states.last != state {
                    states.append(state)
                }
            }
            XCTAssertEqual(states.first, .queued, "\(id): \(states)")
            XCTAssertEqual(states.last, .sent, "\(id): \(states)")
            let sending = states.firstIndex(of: .sending) ?? -1
            XCTAssertTrue(sending > 0 && sending < states.count - 1, "\(id) passed through sending: \(states)")
        }
    }

    func testCancellingOneRunByItsHandleLeavesAnotherRunAlone() async throws {
        let url = try need("TEST_SERVER_URL")
        let slow = try need("TEST_SLOW_PROXY_URL")
        let store = try await ProfileStore.open(dataDir: dir.appendingPathComponent("data").path)
        let ibu = try await store.createProfile(label: "Ibu", vault: KeychainKeyVault(store: InMemorySecretStore()))
        let bapak = try await store.createProfile(label: "Bapak", vault: KeychainKeyVault(store: InMemorySecretStore()))
        let syncIbu = try await signedIn(ibu, url: slow, phone: "081234567896")
        let syncBapak = try await signedIn(bapak, url: url, phone: "081234567897")
        let ibuItem = try await fileDomisili(ibu, nama: "Ibu Sri", photoBytes: 240_000)
        let bapakItem = try await fileDomisili(bapak, nama: "Pak Joko", photoBytes: 40_000)

        let listener = RecordingListener()
        let runIbu = await syncIbu.syncNow(timeBudgetSecs: 120, listener: listener)
        let runBapak = await syncBapak.syncNow(timeBudgetSecs: 120, listener: nil)
        for _ in 0..<3000 where !listener.uploaded { try await Task.sleep(nanoseconds: 10_000_000) }
        XCTAssertTrue(listener.uploaded, "the slow run started uploading")
        runIbu.cancel()

        let cancelled = try await runIbu.report()
        XCTAssertEqual(cancelled.stopped, .cancelled)
        XCTAssertEqual(why(cancelled.stopped), "cancelled")
        XCTAssertEqual(cancelled.sent, 0)
        XCTAssertTrue(runIbu.isFinished())
        let back = try await ibu.outbox().item(instanceId: ibuItem)
        XCTAssertEqual(back.state, .queued, "back in the queue")

        let other = try await runBapak.report()
        XCTAssertNil(other.stopped)
        XCTAssertEqual(other.sent, 1)
        let bapakSent = try await bapak.outbox().item(instanceId: bapakItem)
        XCTAssertEqual(bapakSent.state, .sent)

        // The next run finishes what the cancelled one left, once.
        let resumed = try await syncIbu.syncNow(timeBudgetSecs: 120, listener: nil).report()
        XCTAssertEqual(resumed.sent, 1)
        let sent = try await ibu.outbox().item(instanceId: ibuItem)
        XCTAssertEqual(sent.state, .sent)
        XCTAssertEqual(sent.agencyState, .received)
        XCTAssertEqual(sent.agencyState.map(label), "Diterima")
    }

    func testAWithdrawnFormWedgesItsItemWithATypedCodeAndSettingsAreStored() async throws {
        let url = try need("TEST_SERVER_URL")
        let published = URL(fileURLWithPath: try need("TEST_SERVER_FORMS"))
        let fixture = URL(fileURLWithPath: try need("TEST_FORMS_DIR")).appendingPathComponent("domisili.xml")
        let formId = "domisili_" + UUID().uuidString.prefix(8).lowercased()
        let xml = try String(contentsOf: fixture, encoding: .utf8).replacingOccurrences(of: "id=\"domisili\"", with: "id=\"\(formId)\"")
        try xml.write(to: published.appendingPathComponent("\(formId).xml"), atomically: true, encoding: .utf8)

        let store = try await ProfileStore.open(dataDir: dir.appendingPathComponent("data").path)
        let profile = try await store.createProfile(label: "Warga", vault: KeychainKeyVault(store: InMemorySecretStore()))
        let sync = try await signedIn(profile, url: url, phone: "081234567898")
        let good = try await fileDomisili(profile, nama: "Siti", photoBytes: 20_000)
        let poison = try await fileDomisili(profile, formId: formId, nama: "Budi", photoBytes: 20_000)
        try FileManager.default.removeItem(at: published.appendingPathComponent("\(formId).xml"))

        let report = try await sync.syncNow(timeBudgetSecs: 60, listener: nil).report()
        XCTAssertEqual(report.sent, 1)
        XCTAssertEqual(report.wedged, 1)
        XCTAssertEqual(report.remaining, 0)
        let sent = try await profile.outbox().item(instanceId: good)
        XCTAssertEqual(sent.state, .sent)
        let wedged = try await profile.outbox().item(instanceId: poison)
        XCTAssertEqual(wedged.state, .wedged)
        let error = try XCTUnwrap(wedged.error)
        XCTAssertEqual(error.code, .server(code: .unknownForm))
        XCTAssertEqual(advice(error.code), "this service no longer takes this form")
        XCTAssertFalse(error.message.isEmpty || error.messageEn.isEmpty)

        // Offline: nothing is tried, nothing is lost.
        sync.setNetwork(state: NetworkState(connected: false, metered: false))
        let offline = try await sync.syncNow(timeBudgetSecs: 60, listener: nil).report()
        XCTAssertEqual(offline.stopped, .offline)

        // "Wi-Fi only" is stored: a fresh service (a background task started cold) on
        // mobile data waits.
        try await profile.account().setSyncSettings(settings: SyncSettings(wifiOnly: true))
        _ = try await fileDomisili(profile, nama: "Ani", photoBytes: 10_000)
        let background = try SyncService(profile: profile, serverUrl: url, agencyPublicKeyHex: try need("TEST_AGENCY_KEY"))
        background.setNetwork(state: NetworkState(connected: true, metered: true))
        let waiting = try await background.syncNow(timeBudgetSecs: 60, listener: nil).report()
        XCTAssertEqual(waiting.stopped, .waitingForUnmetered)
        XCTAssertEqual(waiting.remaining, 1)
    }
}
