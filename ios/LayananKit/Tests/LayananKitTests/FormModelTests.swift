import Foundation
import XCTest
import Layanan
@testable import LayananKit

extension FormModel {
    func question(_ path: String) throws -> QuestionState {
        guard let q = questions.first(where: { $0.path == path }) else {
            throw TestFailure(description: "\(path) is not on the page: \(questions.map(\.path))")
        }
        return q
    }

    /// Presses "Next" until `path` is on the page; returns the paths passed on the way.
    @discardableResult
    func advance(to path: String, limit: Int = 20) async throws -> [String] {
        var seen: [String] = []
        for _ in 0..<limit {
            if questions.contains(where: { $0.path == path }) { return seen }
            seen += questions.map(\.path)
            let before = page.index
            await next()
            if let banner, page.index == before { throw TestFailure(description: "stuck before \(path): \(banner)") }
        }
        throw TestFailure(description: "\(path) never came; passed \(seen)")
    }
}

/// Filling the social-assistance form through the form model, against the real
/// engine, store and server: a broken rule, a refused value, a repeat, a photo, the
/// app killed halfway, finalize.
@MainActor
final class FormModelTests: XCTestCase {
    let nik = "3201014405900001"

    func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["TEST_SERVER_URL"] else {
            throw XCTSkip("run through tests/swift/run.sh, which starts the server")
        }
        return url
    }

    func testARuleARepeatAPhotoAKilledAppAndFinalize() async throws {
        let phone = try Phone(serverURL: try serverURL())
        defer { phone.remove() }
        var home = try await phone.onboard(label: "Ibu")
        await home.refresh()
        XCTAssertNil(home.message)
        XCTAssertTrue(home.forms.contains { $0.id == "bansos_keluarga" && $0.name == "Pendaftaran Bantuan Sosial Keluarga" })

        var form = try await XCTUnwrapAsync(await home.startForm("bansos_keluarga"), home.message)
        XCTAssertEqual(form.title, "Pendaftaran Bantuan Sosial Keluarga")
        XCTAssertTrue(form.pageLabel.hasPrefix("Halaman 1 dari "))
        XCTAssertFalse(form.canGoBack)
        var nikQuestion = try form.question("/data/head_nik")
        XCTAssertEqual(nikQuestion.label, "NIK kepala keluarga")
        XCTAssertTrue(nikQuestion.required)
        XCTAssertTrue(nikQuestion.spokenLabel.contains("NIK kepala keluarga"), nikQuestion.spokenLabel)
        XCTAssertEqual(home.drafts.map(\.formName), ["Pendaftaran Bantuan Sosial Keluarga"], "a draft from the first page")

        // The form's rule: 16 digits. Kept, explained under the question, blocks "Next".
        await form.answer("/data/head_nik", "3201")
        nikQuestion = try form.question("/data/head_nik")
        XCTAssertEqual(nikQuestion.error, "NIK harus 16 digit")
        XCTAssertEqual(nikQuestion.value, "3201")
        XCTAssertTrue(nikQuestion.spokenHint?.contains("NIK harus 16 digit") == true, "\(nikQuestion.spokenHint ?? "nil")")
        await form.next()
        XCTAssertEqual(form.page.index, 0, "a broken rule keeps the page")
        XCTAssertNotNil(form.banner)
        XCTAssertNotEqual(form.banner, "Some answers still need to be completed or corrected.", "in Bahasa Indonesia")
        await form.answer("/data/head_nik", nik)
        XCTAssertNil(try form.question("/data/head_nik").error)
        try await form.advance(to: "/data/head_name")
        await form.answer("/data/head_name", "Dewi Kartika Sari")

        // The first household member: a repeat.
        try await form.advance(to: "/data/member[1]/m_name")
        XCTAssertEqual(form.page.repeat, "/data/member[1]")
        XCTAssertEqual(form.repeatPath, "/data/member")
        await form.answer("/data/member[1]/m_name", "Budi")
        try await form.advance(to: "/data/member[1]/relation")
        await form.choose("/data/member[1]/relation", "spouse")
        let relation = try form.question("/data/member[1]/relation")
        XCTAssertEqual(relation.choices.map(\.value), ["spouse", "child", "parent", "other"])
        XCTAssertEqual(relation.choices.map(\.label), ["Istri/suami", "Anak", "Orang tua", "Lainnya"])
        XCTAssertEqual(relation.choices.map(\.selected), [true, false, false, false], "the mark, not a colour")
        XCTAssertTrue(relation.choices.allSatisfy { !$0.spoken.label.isEmpty })
        try await form.advance(to: "/data/member[1]/m_age")
        // A value of the wrong type is refused, nothing saved, the reason under the question.
        await form.answer("/data/member[1]/m_age", "empat puluh")
        var age = try form.question("/data/member[1]/m_age")
        XCTAssertEqual(age.error, "Isi dengan bilangan bulat.")
        XCTAssertEqual(age.spokenHint, "Kesalahan: Isi dengan bilangan bulat.")
        XCTAssertEqual(age.value, "")
        await form.answer("/data/member[1]/m_age", "41")
        age = try form.question("/data/member[1]/m_age")
        XCTAssertNil(age.error)
        XCTAssertEqual(age.value, "41")
        try await form.advance(to: "/data/member[1]/disabled")
        await form.choose("/data/member[1]/disabled", "yes")
        try await form.advance(to: "/data/member[1]/disability")
        await form.answer("/data/member[1]/disability", "Tunarungu")
        let draftId = form.draftId

        // The app is killed: nothing is locked or closed, everything is released.
        await phone.killAndRelaunch()
        let unlock = try XCTUnwrap(phone.unlock)
        let opened = await unlock.unlock()
        XCTAssertTrue(opened, unlock.message ?? "")
        home = try XCTUnwrap(phone.home)
        XCTAssertEqual(home.drafts.map(\.id), [draftId])
        form = try await XCTUnwrapAsync(await home.resumeDraft(draftId), home.message)
        XCTAssertNotNil(try? form.question("/data/income"), "resumes at the first question still to answer")

        // A second member, without a disability: its follow-up is skipped.
        await form.previous()
        XCTAssertEqual(form.page.repeat, "/data/member[1]")
        XCTAssertEqual(try form.question("/data/member[1]/disability").value, "Tunarungu", "saved before the kill")
        await form.addRepeat()
        XCTAssertEqual(form.page.repeat, "/data/member[2]")
        await form.answer("/data/member[2]/m_name", "Rina")
        try await form.advance(to: "/data/member[2]/relation")
        await form.choose("/data/member[2]/relation", "child")
        try await form.advance(to: "/data/member[2]/m_age")
        await form.answer("/data/member[2]/m_age", "7")
        try await form.advance(to: "/data/member[2]/disabled")
        await form.choose("/data/member[2]/disabled", "no")
        // A third member added by mistake, and removed: nothing of it is left to answer.
        await form.addRepeat()
        XCTAssertEqual(form.page.repeat, "/data/member[3]")
        await form.removeRepeat()
        XCTAssertNil(form.banner)
        XCTAssertNotEqual(form.page.repeat, "/data/member[3]")

        // Finalizing too early shows the first missing answer with its message.
        let early = await form.finalize()
        XCTAssertFalse(early)
        XCTAssertNotNil(form.banner)
        XCTAssertNotNil(try form.question("/data/income").error, "the missing answer says so")
        XCTAssertFalse(form.isFinalized)

        await form.answer("/data/income", "2000000")
        XCTAssertNil(try form.question("/data/income").error)
        let passed = try await form.advance(to: "/data/home")
        XCTAssertFalse(passed.contains("/data/member[2]/disability"))
        await form.answer("/data/home", "-8.65 115.2167 30 4")
        try await form.advance(to: "/data/house_photo")
        let photoQuestion = try form.question("/data/house_photo")
        XCTAssertTrue(photoQuestion.takesFile)
        XCTAssertTrue(form.isLastPage)
        let photo = try cameraPhoto(in: phone.dir, bytes: 80_000)
        await form.attachPhoto("/data/house_photo", file: photo, fileName: "rumah.jpg")
        XCTAssertEqual(try form.question("/data/house_photo").value, "rumah.jpg")
        XCTAssertFalse(FileManager.default.fileExists(atPath: photo.path), "the plain camera file is gone")
        XCTAssertEqual(FormModel.photoName("/data/member[2]/photo"), "member-2-photo.jpg", "unique per repeat instance")

        let done = await form.finalize()
        XCTAssertTrue(done, form.banner ?? "")
        guard case .finalized(let item) = form.phase else { return XCTFail("finalized") }
        XCTAssertEqual(item.formId, "bansos_keluarga")
        XCTAssertEqual(item.attachmentCount, 1)
        XCTAssertEqual(form.banner, "Permohonan masuk kotak keluar dan dikirim saat ada sinyal.")
        XCTAssertTrue(home.drafts.isEmpty, "the draft moved to the outbox")
        try await eventually("the outbox badge") { home.badges.map(\.text) == ["1 menunggu dikirim"] }
    }

    func testSwitchingTheLanguageReRendersTheOpenPage() async throws {
        let phone = try Phone(serverURL: try serverURL())
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Anak")
        await home.refresh()
        let form = try await XCTUnwrapAsync(await home.startForm("bansos_keluarga"), home.message)
        await form.answer("/data/head_nik", "12")
        await form.next()
        XCTAssertEqual(try form.question("/data/head_nik").label, "NIK kepala keluarga")
        XCTAssertEqual(try form.question("/data/head_nik").error, "NIK harus 16 digit")

        let settings = home.settings()
        await settings.setLanguage(.english)
        let q = try form.question("/data/head_nik")
        XCTAssertEqual(q.label, "Head of household NIK")
        XCTAssertEqual(q.error, "NIK must be 16 digits")
        XCTAssertTrue(q.spokenLabel.contains("Head of household NIK"), q.spokenLabel)
        XCTAssertTrue(form.pageLabel.hasPrefix("Page 1 of "))
        XCTAssertEqual(settings.strings.wifiOnly, "Send over Wi-Fi only")
        XCTAssertEqual(home.strings.homeDraftsTitle, "Drafts")

        // Kept for the profile: the next start speaks English before it opens.
        await phone.killAndRelaunch()
        XCTAssertEqual(try XCTUnwrap(phone.unlock).strings.unlockTitle, "Open a profile")
    }
}

@MainActor
func XCTUnwrapAsync<T>(_ value: T?, _ message: @autoclosure () -> String?, file: StaticString = #filePath,
                       line: UInt = #line) async throws -> T {
    guard let value else { throw TestFailure(description: "nil: \(message() ?? "")") }
    return value
}
