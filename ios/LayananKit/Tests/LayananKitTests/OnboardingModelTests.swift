import Foundation
import XCTest
import Layanan
@testable import LayananKit

/// Onboarding through the models, against the real store: language, name,
/// protection, and landing on home with the profile unlocked.
@MainActor
final class OnboardingModelTests: XCTestCase {
    func testOnboardingInEnglishWithFaceIDLandsOnHomeInEnglish() async throws {
        let phone = try Phone(serverURL: "http://127.0.0.1:9")
        defer { phone.remove() }
        await phone.app.start()
        let model = try XCTUnwrap(phone.onboarding)
        XCTAssertEqual(model.step, .language)
        XCTAssertEqual(model.language, .indonesian, "Bahasa Indonesia by default")
        XCTAssertEqual(model.strings.next, "Lanjut")
        XCTAssertFalse(model.canCancel, "the first profile cannot be skipped")

        model.choose(.english)
        XCTAssertEqual(model.strings.next, "Next")
        model.next()
        XCTAssertEqual(model.step, .name)
        model.label = "   "
        model.next()
        XCTAssertEqual(model.step, .name, "an empty name does not go on")
        XCTAssertEqual(model.message, "Enter a profile name.")
        model.label = "Mum"
        model.next()
        XCTAssertEqual(model.step, .protection)
        XCTAssertEqual(model.protections, [.biometrics, .deviceKey, .passphrase])
        XCTAssertEqual(model.protection, .biometrics, "Face ID is the recommended choice when present")
        XCTAssertTrue(model.strings.protectionDetail(.biometrics).contains("fingerprints change"))

        let created = await model.create()
        XCTAssertTrue(created, model.message ?? "")
        let home = try XCTUnwrap(phone.home)
        XCTAssertEqual(home.title, "Mum")
        XCTAssertEqual(home.session.language, .english)
        XCTAssertEqual(home.session.protection, .biometrics)
        XCTAssertEqual(phone.biometricKeys.count, 1, "the key went to the biometric Keychain item")
        XCTAssertEqual(phone.deviceKeys.count, 0)
        XCTAssertTrue(home.badges.isEmpty)
        XCTAssertNil(home.unreadText)
        XCTAssertEqual(home.strings.homeFormsTitle, "Services available offline")
        XCTAssertFalse(home.session.profile.isLocked())
    }

    func testWithoutBiometricsAPasswordMustBeLongAndConfirmed() async throws {
        let phone = try Phone(serverURL: "http://127.0.0.1:9", biometrics: false)
        defer { phone.remove() }
        await phone.app.start()
        let model = try XCTUnwrap(phone.onboarding)
        model.next()
        model.label = "Kakek"
        model.next()
        XCTAssertEqual(model.protections, [.deviceKey, .passphrase])
        XCTAssertEqual(model.protection, .deviceKey)
        model.choose(.biometrics)
        XCTAssertEqual(model.message, "Ponsel ini tidak punya Face ID atau Touch ID yang aktif.")
        XCTAssertEqual(model.protection, .deviceKey, "refused, unchanged")

        model.choose(.passphrase)
        model.passphrase = "kopi"
        model.passphraseConfirmation = "kopi"
        var created = await model.create()
        XCTAssertFalse(created)
        XCTAssertEqual(model.message, "Kata sandi minimal 8 karakter.")
        model.passphrase = "kopi tubruk pagi"
        model.passphraseConfirmation = "kopi tubruk sore"
        created = await model.create()
        XCTAssertFalse(created)
        XCTAssertEqual(model.message, "Kedua kata sandi tidak sama.")
        XCTAssertNil(phone.home)
        model.passphraseConfirmation = "kopi tubruk pagi"
        created = await model.create()
        XCTAssertTrue(created, model.message ?? "")
        XCTAssertEqual(model.passphrase, "", "the password is not kept in the model")
        let home = try XCTUnwrap(phone.home)
        XCTAssertEqual(home.session.protection, .passphrase)
        XCTAssertEqual(phone.deviceKeys.count + phone.biometricKeys.count, 0, "a password profile keeps nothing in the Keychain")
    }
}
