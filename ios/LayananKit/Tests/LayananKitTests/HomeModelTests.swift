import Foundation
import XCTest
import Layanan
@testable import LayananKit

/// Home without signal: the forms kept on the phone still open, drafts are listed.
@MainActor
final class HomeModelTests: XCTestCase {
    func testWithoutSignalTheKeptFormsStillOpenAndDraftsAreListed() async throws {
        let phone = try Phone(serverURL: try env("TEST_SERVER_URL"))
        defer { phone.remove() }
        var home = try await phone.onboard(label: "Desa", language: .english)
        await home.refresh()
        XCTAssertNil(home.message)
        XCTAssertEqual(Set(home.forms.map(\.id)), ["bansos_keluarga", "domisili"])

        // The next start is in a village without signal (nothing listens there).
        phone.serverURL = "http://127.0.0.1:9"
        await phone.killAndRelaunch()
        let unlock = try XCTUnwrap(phone.unlock)
        let opened = await unlock.unlock()
        XCTAssertTrue(opened)
        home = try XCTUnwrap(phone.home)
        await home.refresh()
        XCTAssertEqual(home.message, "New forms could not be loaded; the forms on the phone can still be filled.")
        XCTAssertEqual(Set(home.forms.map(\.id)), ["bansos_keluarga", "domisili"], "kept offline")

        let form = try await XCTUnwrapAsync(await home.startForm("domisili"), home.message)
        await form.answer("/data/nama", "Ketut")
        XCTAssertEqual(try form.question("/data/nama").value, "Ketut")
        let draft = try XCTUnwrap(home.drafts.first)
        XCTAssertEqual(draft.formName, "Surat Keterangan Domisili")
        XCTAssertTrue(draft.saved.hasPrefix("Saved "), draft.saved)
        XCTAssertEqual(draft.id, form.draftId)
    }
}
