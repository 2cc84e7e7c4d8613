import Foundation
import XCTest
import Layanan
@testable import LayananKit

/// Settings through the model: Wi-Fi only is stored with the profile, signing out
/// makes the outbox wait, removing the profile wipes it.
@MainActor
final class SettingsModelTests: XCTestCase {
    func testWifiOnlyIsStoredAndOnMobileDataTheOutboxWaits() async throws {
        let phone = try Phone(serverURL: try env("TEST_SERVER_URL"))
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Warga")
        let settings = try await phone.signIn(home, phone: "081234567805")
        await home.refresh()
        await settings.setWifiOnly(true)
        XCTAssertTrue(settings.wifiOnly)
        let reread = home.settings()
        await reread.load()
        XCTAssertTrue(reread.wifiOnly, "stored, not in memory")

        let feed = NetworkFeed()
        home.session.networkFeed = feed
        feed.update(PathSnapshot(satisfied: true, expensive: true, constrained: false))
        _ = try await home.fileDomisili("Ani", photoBytes: 10_000, dir: phone.dir)
        let outbox = home.outbox()
        await outbox.sendNow()
        XCTAssertEqual(outbox.message, "Menunggu Wi-Fi (pengaturan: hanya Wi-Fi).")
        XCTAssertEqual(outbox.rows.first?.status, "Menunggu dikirim")

        feed.update(PathSnapshot(satisfied: true, expensive: false, constrained: true))
        await outbox.sendNow()
        XCTAssertEqual(outbox.message, "Menunggu Wi-Fi (pengaturan: hanya Wi-Fi).", "Low Data Mode counts as metered")

        feed.update(PathSnapshot(satisfied: true, expensive: false, constrained: false))
        await outbox.sendNow()
        XCTAssertEqual(outbox.message, "1 terkirim, 0 menunggu")
        try await eventually("sent over Wi-Fi") { outbox.rows.first?.state == .sent }
    }

    func testSigningOutMakesTheOutboxWaitAndSigningInAgainSendsIt() async throws {
        let phone = try Phone(serverURL: try env("TEST_SERVER_URL"))
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Warga")
        let settings = try await phone.signIn(home, phone: "081234567806")
        XCTAssertTrue(settings.signInText.hasPrefix("Masuk ke http://127.0.0.1:"), settings.signInText)
        await home.refresh()
        await settings.signOut()
        XCTAssertEqual(settings.signIn, .signedOut)
        XCTAssertEqual(settings.signInText, "Belum masuk: permohonan menunggu sampai Anda masuk.")

        _ = try await home.fileDomisili("Made", photoBytes: 10_000, dir: phone.dir)
        let outbox = home.outbox()
        await outbox.sendNow()
        XCTAssertEqual(outbox.message, "Masuk dulu di Pengaturan untuk mengirim.")
        XCTAssertEqual(outbox.rows.first?.status, "Menunggu dikirim", "nothing is lost while signed out")

        _ = try await phone.signIn(home, phone: "081234567806")
        await outbox.sendNow()
        try await eventually("sent after signing in") { outbox.rows.first?.state == .sent }
    }

    func testRemovingTheProfileWipesItsKeyAndDataAndReturnsToOnboarding() async throws {
        let phone = try Phone(serverURL: try env("TEST_SERVER_URL"))
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Tamu", protection: .biometrics)
        await home.refresh()
        let form = try await XCTUnwrapAsync(await home.startForm("domisili"), home.message)
        await form.answer("/data/nama", "Tamu")
        let profileId = home.session.profileId
        XCTAssertEqual(phone.biometricKeys.count, 1)
        let attachments = phone.dir.appendingPathComponent("data/attachments/\(profileId)")

        let settings = home.settings()
        XCTAssertTrue(settings.strings.removeProfileWarning.contains("Tidak bisa dibatalkan"))
        await settings.remove()
        XCTAssertNotNil(phone.onboarding, "no profile left")
        XCTAssertEqual(phone.biometricKeys.count, 0, "the key went first")
        XCTAssertTrue(home.session.profile.isLocked())
        XCTAssertFalse(FileManager.default.fileExists(atPath: attachments.path))
        let store = try await ProfileStore.open(dataDir: phone.dir.appendingPathComponent("data").path)
        let left = try await store.listProfiles()
        XCTAssertTrue(left.isEmpty)
        XCTAssertNil(Preferences(path: phone.app.config.preferencesPath).profile(profileId))
    }
}
