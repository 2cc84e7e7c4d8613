import Foundation
import XCTest
import Layanan
@testable import LayananKit

struct TestFailure: Error, CustomStringConvertible {
    let description: String
}

extension FormPage {
    func question(_ path: String) throws -> FormQuestion {
        guard let q = questions.first(where: { $0.path == path }) else {
            throw TestFailure(description: "\(path) is not on page \(index): \(questions.map { $0.path })")
        }
        return q
    }
}

/// A citizen fills the social-assistance form (pyxform output of an XLSForm, from
/// tests/fixtures/forms) from Swift: a NIK that breaks the form's rule and is fixed,
/// two household members (a repeat), a disability question skipped for one of them, a
/// photo of the house; the app is killed halfway and resumes from the sealed draft;
/// the finalized submission goes through the outbox to the reference server that
/// tests/swift/run.sh starts (TEST_SERVER_URL, TEST_SERVER_LOG, TEST_AGENCY_KEY,
/// TEST_FORMS_DIR).
final class FormSessionTests: XCTestCase {
    let env = ProcessInfo.processInfo.environment
    let nik = "3201014405900001"
    let head = "Dewi Kartika Sari"
    let wita: Int32 = 480
    var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("layanan-swift-forms-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// The one-time codes in the server log, oldest first (development mode logs them).
    func testFillWithRepeatSkipRuleAndPhotoResumeFinalizeAndSync() async throws {
        guard let url = env["TEST_SERVER_URL"], let log = env["TEST_SERVER_LOG"], let key = env["TEST_AGENCY_KEY"] else {
            throw XCTSkip("run through tests/swift/run.sh, which starts the server")
        }
        let keychain = InMemorySecretStore()
        let dataDir = dir.appendingPathComponent("data").path
        var profileId = ""
        var draftId = ""

        do {
            let store = try await ProfileStore.open(dataDir: dataDir)
            let profile = try await store.createProfile(label: "Ibu", vault: KeychainKeyVault(store: keychain))
            profileId = profile.id()
            // The forms come from the agency's server and are kept offline; a session
            // starts from the kept copy by its id.
            let update = try await SyncService(profile: profile, serverUrl: url, agencyPublicKeyHex: key).updateForms()
            XCTAssertGreaterThanOrEqual(update.downloaded, 1)
            let offline = try await profile.forms().list()
            XCTAssertTrue(offline.contains { $0.formId == "bansos_keluarga" })
            let form = try await FormSession.start(profile: profile, formId: "bansos_keluarga", language: "en", utcOffsetMinutes: wita)
            draftId = form.draftId()
            let info = try await form.info()
            XCTAssertEqual(info.formId, "bansos_keluarga")
            XCTAssertEqual(info.language, "English (en)")
            XCTAssertEqual(info.draftId, draftId)
            let drafts = try await profile.drafts().list()
            XCTAssertEqual(drafts.map { $0.id }, [draftId])

            var page = try await form.currentPage()
            XCTAssertEqual(try page.question("/data/head_nik").label, "Head of household NIK")
            XCTAssertTrue(try page.question("/data/head_nik").required)

            // The rule: a NIK has 16 digits. The wrong answer is kept and explained.
            page = try await form.answer(path: "/data/head_nik", value: "3201")
            XCTAssertEqual(try page.question("/data/head_nik").error, "NIK must be 16 digits")
            do {
                _ = try await form.nextPage()
                XCTFail("a page with a broken rule must not be left")
            } catch FormsError.Invalid(let paths, _, let userMessageEn) {
                XCTAssertEqual(paths, ["/data/head_nik"])
                XCTAssertEqual(userMessageEn, "Some answers still need to be completed or corrected.")
            }
            let issues = try await form.validate()
            XCTAssertEqual(issues.first { $0.path == "/data/head_nik" }?.kind, .constraint)
            page = try await form.setLanguage(language: "id")
            XCTAssertEqual(try page.question("/data/head_nik").error, "NIK harus 16 digit")
            page = try await form.answer(path: "/data/head_nik", value: nik)
            XCTAssertNil(try page.question("/data/head_nik").error)
            page = try await form.nextPage()
            XCTAssertEqual(page.index, 1)
            _ = try await form.answer(path: "/data/head_name", value: head)

            // The first household member, with a disability: the follow-up appears.
            page = try await form.nextPage()
            XCTAssertEqual(page.repeat, "/data/member[1]")
            _ = try await form.answer(path: "/data/member[1]/m_name", value: "Budi")
            page = try await form.nextPage()
            let relation = try page.question("/data/member[1]/relation")
            XCTAssertEqual(relation.kind, .selectOne)
            XCTAssertEqual(relation.choices.map { $0.value }, ["spouse", "child", "parent", "other"])
            _ = try await form.answer(path: "/data/member[1]/relation", value: "spouse")
            do {
                _ = try await form.answer(path: "/data/member[1]/m_age", value: "empat puluh")
                XCTFail("text is not an age")
            } catch FormsError.InvalidValue(let path, _, let userMessage, _) {
                XCTAssertEqual(path, "/data/member[1]/m_age")
                XCTAssertEqual(userMessage, "Isi dengan bilangan bulat.")
            }
            _ = try await form.answer(path: "/data/member[1]/m_age", value: "41")
            let before = try await form.currentPage().count
            _ = try await form.answer(path: "/data/member[1]/disabled", value: "yes")
            page = try await form.jump(path: "/data/member[1]/disability")
            XCTAssertEqual(page.count, before + 1)
            _ = try await form.answer(path: "/data/member[1]/disability", value: "Tunarungu")
            // The app is killed here: the session, profile and store are released.
        }

        let store = try await ProfileStore.open(dataDir: dataDir)
        let profile = try await store.unlockProfile(profileId: profileId, vault: KeychainKeyVault(store: keychain))
        let form = try await FormSession.resume(profile: profile, draftId: draftId,
                                                language: nil, utcOffsetMinutes: wita)
        var page = try await form.jump(path: "/data/member[1]/disability")
        XCTAssertEqual(try page.question("/data/member[1]/disability").value, "Tunarungu")

        // A second member, without a disability: the follow-up is skipped.
        page = try await form.addRepeat(repeatPath: "/data/member")
        XCTAssertEqual(page.repeat, "/data/member[2]")
        XCTAssertEqual(page.questions.first?.path, "/data/member[2]/m_name")
        _ = try await form.answer(path: "/data/member[2]/m_name", value: "Rina")
        _ = try await form.answer(path: "/data/member[2]/relation", value: "child")
        _ = try await form.answer(path: "/data/member[2]/m_age", value: "7")
        _ = try await form.answer(path: "/data/member[2]/disabled", value: "no")
        do {
            _ = try await form.jump(path: "/data/member[2]/disability")
            XCTFail("a skipped question has no page")
        } catch FormsError.UnknownPath(let path) {
            XCTAssertEqual(path, "/data/member[2]/disability")
        }

        do {
            _ = try await form.finalize()
            XCTFail("required answers are missing")
        } catch FormsError.Invalid(let paths, _, _) {
            XCTAssertEqual(paths, ["/data/income", "/data/home", "/data/house_photo"])
        }
        _ = try await form.answer(path: "/data/income", value: "2000000")
        _ = try await form.answer(path: "/data/home", value: "-8.65 115.2167 30 4")

        // The photo of the house: sealed into the store, the answer is its file name.
        let photo = jpegStandIn(90_000)
        let photoURL = dir.appendingPathComponent("IMG_0002.jpg")
        try photo.write(to: photoURL)
        page = try await form.jump(path: "/data/house_photo")
        XCTAssertEqual(try page.question("/data/house_photo").kind, .upload)
        page = try await form.attachFile(path: "/data/house_photo", fileName: "rumah.jpg",
                                         mediaType: "image/jpeg", sourcePath: photoURL.path)
        XCTAssertEqual(try page.question("/data/house_photo").value, "rumah.jpg")
        let issuesLeft = try await form.validate()
        XCTAssertTrue(issuesLeft.isEmpty)

        let item = try await form.finalize()
        XCTAssertEqual(item.state, .queued)
        XCTAssertEqual(item.formId, "bansos_keluarga")
        XCTAssertEqual(item.attachmentCount, 1)
        let draftsLeft = try await profile.drafts().list()
        XCTAssertTrue(draftsLeft.isEmpty)
        do {
            _ = try await form.answer(path: "/data/income", value: "1")
            XCTFail("a finalized form is read-only")
        } catch FormsError.Finalized {}

        // Delivered to the agency's server, which checks it with the same engine.
        let sync = try SyncService(profile: profile, serverUrl: url, agencyPublicKeyHex: key)
        let seen = ServerLog.codes(log).count
        let challenge = try await sync.startSignIn(phone: "081234567894")
        try await sync.finishSignIn(challengeId: challenge.challengeId, code: try ServerLog.newCode(log, after: seen))
        let report = try await sync.syncNow(timeBudgetSecs: 60, listener: nil).report()
        XCTAssertEqual(report.sent, 1)
        XCTAssertEqual(report.wedged, 0)
        let sent = try await profile.outbox().item(instanceId: item.instanceId)
        XCTAssertEqual(sent.state, .sent)
        XCTAssertEqual(sent.receipt?.instanceId, item.instanceId)
        XCTAssertEqual(sent.receipt?.formId, "bansos_keluarga")
    }

    func testALockedProfilesSessionFailsWithLockedAndResumesAfterUnlock() async throws {
        guard let url = env["TEST_SERVER_URL"], let key = env["TEST_AGENCY_KEY"] else {
            throw XCTSkip("run through tests/swift/run.sh, which starts the server")
        }
        let keychain = InMemorySecretStore()
        let store = try await ProfileStore.open(dataDir: dir.appendingPathComponent("data").path)
        let profile = try await store.createProfile(label: "Bapak", vault: KeychainKeyVault(store: keychain))
        let sync = try SyncService(profile: profile, serverUrl: url, agencyPublicKeyHex: key)
        _ = try await sync.updateForms()
        let form = try await FormSession.start(profile: profile, formId: "bansos_keluarga", language: "id", utcOffsetMinutes: wita)
        _ = try await form.answer(path: "/data/head_nik", value: nik)
        let draftId = form.draftId()

        profile.lock()
        XCTAssertTrue(profile.isLocked())
        // Every door closes: the session (reads too), the sub-APIs, a sync run.
        do { _ = try await form.answer(path: "/data/head_nik", value: "3201014405900002"); XCTFail("locked") } catch FormsError.Locked {}
        do { _ = try await form.currentPage(); XCTFail("locked") } catch FormsError.Locked {}
        do { _ = try await profile.drafts().list(); XCTFail("locked") } catch StoreError.Locked {}
        do { _ = try await profile.outbox().list(); XCTFail("locked") } catch StoreError.Locked {}
        do { _ = try await sync.syncNow(timeBudgetSecs: 30, listener: nil).report(); XCTFail("locked") } catch SyncError.Locked {}

        // Unlocked again, the draft continues where it was.
        let again = try await store.unlockProfile(profileId: profile.id(), vault: KeychainKeyVault(store: keychain))
        let resumed = try await FormSession.resume(profile: again, draftId: draftId, language: nil, utcOffsetMinutes: wita)
        let page = try await resumed.currentPage()
        XCTAssertEqual(try page.question("/data/head_nik").value, nik)
        do {
            _ = try await FormSession.start(profile: again, formId: "no_such_form", language: nil, utcOffsetMinutes: wita)
            XCTFail("a form that is not kept offline")
        } catch FormsError.FormNotOffline(let formId) {
            XCTAssertEqual(formId, "no_such_form")
        }
    }
}
