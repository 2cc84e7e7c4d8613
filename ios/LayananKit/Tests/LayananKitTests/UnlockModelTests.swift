import Foundation
import XCTest
import Layanan
@testable import LayananKit

/// Unlocking through the model: each failure has its own sentence.
@MainActor
final class UnlockModelTests: XCTestCase {
    func testAWrongPasswordSaysSoAndTheRightOneOpens() async throws {
        let phone = try Phone(serverURL: "http://127.0.0.1:9")
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Nenek", protection: .passphrase, passphrase: "sate ayam madura")
        await home.lock()
        XCTAssertTrue(home.session.profile.isLocked(), "locking forgets the key")

        let unlock = try XCTUnwrap(phone.unlock, "a locked profile asks to be opened")
        XCTAssertEqual(unlock.profiles.map(\.label), ["Nenek"])
        XCTAssertEqual(unlock.selected?.label, "Nenek")
        XCTAssertTrue(unlock.needsPassphrase)
        XCTAssertEqual(unlock.unlockButton, "Buka dengan kata sandi")
        unlock.passphrase = "sate kambing"
        let wrong = await unlock.unlock()
        XCTAssertFalse(wrong)
        XCTAssertEqual(unlock.failure, .wrongSecret)
        XCTAssertEqual(unlock.message, "Kata sandi salah. Coba lagi.")
        XCTAssertFalse(unlock.offersRemoval, "a wrong password is no reason to remove anything")
        XCTAssertNil(phone.home)

        unlock.passphrase = "sate ayam madura"
        let right = await unlock.unlock()
        XCTAssertTrue(right, unlock.message ?? "")
        XCTAssertEqual(try XCTUnwrap(phone.home).title, "Nenek")
    }

    func testACancelledFaceIDPromptThenALostKeyEachShowTheirMessage() async throws {
        let phone = try Phone(serverURL: "http://127.0.0.1:9")
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Bapak", language: .english, protection: .biometrics)
        let id = home.session.profileId
        await home.lock()
        let unlock = try XCTUnwrap(phone.unlock)
        XCTAssertEqual(unlock.unlockButton, "Open with Face ID / Touch ID", "the profile's language before it opens")

        phone.biometricKeys.cancelNextPrompt()
        let cancelled = await unlock.unlock()
        XCTAssertFalse(cancelled)
        XCTAssertEqual(unlock.failure, .cancelled)
        XCTAssertEqual(unlock.message, "Opening was cancelled. Tap the button to try again.")
        XCTAssertFalse(unlock.offersRemoval)

        // A new face enrolled: .biometryCurrentSet invalidated the item.
        try phone.biometricKeys.enrollmentChanged(accounts: ["id.layanan.profile.\(id)"])
        let lost = await unlock.unlock()
        XCTAssertFalse(lost)
        XCTAssertEqual(unlock.failure, .lost)
        XCTAssertTrue(try XCTUnwrap(unlock.message).hasPrefix("This profile's key is gone"))
        XCTAssertTrue(unlock.offersRemoval)
        XCTAssertEqual(phone.biometricKeys.prompts, 2)

        await unlock.removeSelected()
        let onboarding = try XCTUnwrap(phone.onboarding, "no profile left: onboarding again")
        XCTAssertFalse(onboarding.canCancel)
        let store = try await ProfileStore.open(dataDir: phone.dir.appendingPathComponent("data").path)
        let left = try await store.listProfiles()
        XCTAssertTrue(left.isEmpty)
    }
}
