import Foundation
import XCTest
import Layanan
@testable import LayananKit

/// The iOS adapters' platform-neutral halves, on the real core: a background task's
/// expiry cancels its run's handle; the network feed stops and starts runs.
@MainActor
final class PlatformAdapterTests: XCTestCase {
    func testBackgroundTaskExpiryCancelsTheRunAndTheNextRunSendsIt() async throws {
        let phone = try Phone(serverURL: try env("TEST_SLOW_PROXY_URL"))
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Warga")
        _ = try await phone.signIn(home, phone: "081234567807")
        await home.refresh()
        let id = try await home.fileDomisili("Lestari", photoBytes: 240_000, dir: phone.dir)

        let job = BackgroundSyncJob(sync: home.session.sync, budgetSecs: 60)
        let running = Task { try await job.perform() }
        // The outbox screen shows the upload going (pushed by the core, any run's).
        try await eventually("uploading") { home.outbox().rows.first?.progressText != nil }
        XCTAssertTrue(home.outbox().rows.first?.progressText?.hasPrefix("Mengunggah ") == true)
        job.expire()   // BGTask.expirationHandler
        let report = try await running.value
        XCTAssertEqual(report.stopped, .cancelled)
        XCTAssertEqual(report.sent, 0)
        try await eventually("back in the queue") { home.outbox().rows.first?.status == "Menunggu dikirim" }

        let next = try await BackgroundSyncJob(sync: home.session.sync, budgetSecs: 60).perform()
        XCTAssertEqual(next.sent, 1)
        XCTAssertNil(next.stopped)
        let item = try await home.session.profile.outbox().item(instanceId: id)
        XCTAssertEqual(item.state, .sent)
    }

    func testAnExpiryBeforeTheRunStartsCancelsItAtOnce() async throws {
        let phone = try Phone(serverURL: try env("TEST_SERVER_URL"))
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Warga")
        _ = try await phone.signIn(home, phone: "081234567808")
        await home.refresh()
        _ = try await home.fileDomisili("Sari", photoBytes: 10_000, dir: phone.dir)
        let job = BackgroundSyncJob(sync: home.session.sync)
        job.expire()
        let report = try await job.perform()
        XCTAssertEqual(report.stopped, .cancelled)
        XCTAssertEqual(report.sent, 0)
    }

    func testTheNetworkFeedTellsEveryServiceAndOfflineRunsWait() async throws {
        let phone = try Phone(serverURL: try env("TEST_SERVER_URL"))
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Warga")
        _ = try await phone.signIn(home, phone: "081234567809")
        await home.refresh()
        _ = try await home.fileDomisili("Wayan", photoBytes: 10_000, dir: phone.dir)

        let feed = NetworkFeed()
        feed.update(PathSnapshot(satisfied: false, expensive: false, constrained: false))
        XCTAssertEqual(feed.snapshot?.networkState.connected, false)
        feed.attach(home.session.sync)  // attached later: hears the current path at once
        let background = try SyncService(profile: home.session.profile, serverUrl: phone.serverURL,
                                         agencyPublicKeyHex: try env("TEST_AGENCY_KEY"))
        feed.attach(background)
        let outbox = home.outbox()
        await outbox.sendNow()
        XCTAssertEqual(outbox.message, "Tidak ada sinyal. Dikirim saat tersambung.")
        let offline = try await BackgroundSyncJob(sync: background).perform()
        XCTAssertEqual(offline.stopped, .offline)

        feed.update(PathSnapshot(satisfied: true, expensive: true, constrained: false))
        await outbox.sendNow()
        XCTAssertEqual(outbox.message, "1 terkirim, 0 menunggu", "mobile data is fine without Wi-Fi only")
        feed.detach(background)
    }
}
