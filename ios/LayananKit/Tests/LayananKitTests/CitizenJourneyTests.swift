import Foundation
import XCTest
import Layanan
@testable import LayananKit

/// The whole journey in one go, as a citizen lives it, through the models only:
/// onboarding, a wrong password, a form with a broken rule, a repeat and a photo, the
/// app killed and resumed, finalize, the outbox going Sent through a dropped
/// connection, the officer's decision in the timeline and as a notification, a
/// language switch, removing the profile.
@MainActor
final class CitizenJourneyTests: XCTestCase {
    func testTheWholeJourneyThroughTheModels() async throws {
        let link = try env("TEST_JOURNEY_PROXY_URL")
        let stats = try env("TEST_JOURNEY_PROXY_STATS")
        let officer = try Officer.fromEnvironment()
        let password = "nasi goreng kampung"
        // Offline forms come first over the village's usual link; the next start goes
        // through a link that drops its first connection mid-upload (the proxy's fault
        // fires on the first connection it carries: here the sign-in's, which the same
        // client reuses for the upload).
        let phone = try Phone(serverURL: officer.serverURL, biometrics: false)
        defer { phone.remove() }

        // Onboarding, then a wrong password.
        var home = try await phone.onboard(label: "Ibu Dewi", protection: .passphrase, passphrase: password)
        await home.lock()
        var unlock = try XCTUnwrap(phone.unlock)
        unlock.passphrase = "nasi goreng"
        var opened = await unlock.unlock()
        XCTAssertFalse(opened)
        XCTAssertEqual(unlock.message, "Kata sandi salah. Coba lagi.")
        unlock.passphrase = password
        opened = await unlock.unlock()
        XCTAssertTrue(opened)
        home = try XCTUnwrap(phone.home)
        await home.refresh()

        // The form: a broken rule, a household member, then the app is killed.
        var form = try await XCTUnwrapAsync(await home.startForm("bansos_keluarga"), home.message)
        await form.answer("/data/head_nik", "320101")
        XCTAssertEqual(try form.question("/data/head_nik").error, "NIK harus 16 digit")
        await form.answer("/data/head_nik", "3201014405900001")
        try await form.advance(to: "/data/head_name")
        await form.answer("/data/head_name", "Dewi Kartika Sari")
        try await form.advance(to: "/data/member[1]/m_name")
        await form.answer("/data/member[1]/m_name", "Budi")
        try await form.advance(to: "/data/member[1]/relation")
        await form.choose("/data/member[1]/relation", "spouse")
        try await form.advance(to: "/data/member[1]/m_age")
        await form.answer("/data/member[1]/m_age", "41")
        try await form.advance(to: "/data/member[1]/disabled")
        await form.choose("/data/member[1]/disabled", "no")
        let draftId = form.draftId

        phone.serverURL = link
        await phone.killAndRelaunch()
        unlock = try XCTUnwrap(phone.unlock)
        unlock.passphrase = password
        opened = await unlock.unlock()
        XCTAssertTrue(opened)
        home = try XCTUnwrap(phone.home)
        _ = try await phone.signIn(home, phone: "081234567810")
        form = try await XCTUnwrapAsync(await home.resumeDraft(draftId), home.message)
        XCTAssertNotNil(try? form.question("/data/income"))
        await form.answer("/data/income", "1500000")
        try await form.advance(to: "/data/home")
        await form.answer("/data/home", "-6.2 106.8 10 5")
        try await form.advance(to: "/data/house_photo")
        await form.attachPhoto("/data/house_photo", file: try cameraPhoto(in: phone.dir, bytes: 150_000))
        let finalized = await form.finalize()
        XCTAssertTrue(finalized, form.banner ?? "")
        XCTAssertTrue(home.drafts.isEmpty)

        // Sent through a link that drops the connection mid-upload.
        let outbox = home.outbox()
        await outbox.sendNow()
        try await eventually("sent") { outbox.rows.first?.state == .sent }
        let resets = (try? String(contentsOfFile: stats, encoding: .utf8)) ?? ""
        XCTAssertTrue(resets.contains("resets=1"), resets)
        let id = try XCTUnwrap(outbox.rows.first?.id)

        // The officer decides; the next run brings it.
        try await officer.decide(id, "in_review")
        try await officer.decide(id, "approved", note: "Bantuan cair bulan depan.")
        await outbox.sendNow()
        try await eventually("approved") { outbox.rows.first?.status == "Disetujui" }
        let timeline = outbox.timeline(id)
        await timeline.load()
        XCTAssertEqual(timeline.rows.map(\.state), [.received, .inReview, .approved])
        XCTAssertEqual(timeline.rows.last?.note, "Catatan petugas: Bantuan cair bulan depan.")
        let poster = RecordingPoster()
        _ = try await NotificationDispatcher(session: home.session, poster: poster).deliver()
        XCTAssertEqual(poster.posted.last?.title, "Pendaftaran Bantuan Sosial Keluarga: Disetujui")

        // English, everywhere at once.
        let settings = home.settings()
        await settings.setLanguage(.english)
        XCTAssertEqual(outbox.rows.first?.status, "Approved")
        XCTAssertEqual(timeline.rows.last?.note, "Officer's note: Bantuan cair bulan depan.")
        XCTAssertEqual(home.badges.map(\.text), ["1 sent"])

        // Removing the profile leaves a fresh phone.
        await settings.remove()
        XCTAssertNotNil(phone.onboarding)
    }
}
