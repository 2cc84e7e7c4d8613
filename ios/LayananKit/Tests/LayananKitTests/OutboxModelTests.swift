import Foundation
import XCTest
import Layanan
@testable import LayananKit

extension HomeModel {
    /// Fills the domisili form (a name and a photo) through the form model and
    /// finalizes it; returns the outbox item's id.
    func fileDomisili(_ nama: String, photoBytes: Int, dir: URL, formId: String = "domisili") async throws -> String {
        guard let form = await startForm(formId) else { throw TestFailure(description: message ?? "no form") }
        await form.answer("/data/nama", nama)
        try await form.advance(to: "/data/foto_ktp")
        await form.attachPhoto("/data/foto_ktp", file: try cameraPhoto(in: dir, bytes: photoBytes))
        guard (try? form.question("/data/foto_ktp").value) == "foto_ktp.jpg" else {
            throw TestFailure(description: "the photo is not attached: \(form.questions.map(\.value))")
        }
        guard await form.finalize(), case .finalized(let item) = form.phase else {
            throw TestFailure(description: form.banner ?? "not finalized")
        }
        return item.instanceId
    }
}

func env(_ name: String) throws -> String {
    guard let value = ProcessInfo.processInfo.environment[name] else { throw XCTSkip("run through tests/swift/run.sh (\(name))") }
    return value
}

/// The outbox screen, live from the core, over the link simulator.
@MainActor
final class OutboxModelTests: XCTestCase {
    func testTheOutboxGoesSentThroughADroppedConnection() async throws {
        let link = try env("TEST_APP_DROP_PROXY_URL")
        let stats = try env("TEST_APP_DROP_PROXY_STATS")
        let phone = try Phone(serverURL: link)
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Warga")
        _ = try await phone.signIn(home, phone: "081234567801")
        await home.refresh()
        XCTAssertNil(home.message)
        let id = try await home.fileDomisili("Dewi Lestari", photoBytes: 150_000, dir: phone.dir)

        let outbox = home.outbox()
        try await eventually("the item in the outbox") { outbox.rows.count == 1 }
        var row = try XCTUnwrap(outbox.rows.first)
        XCTAssertEqual(row.id, id)
        XCTAssertEqual(row.formName, "Surat Keterangan Domisili")
        XCTAssertEqual(row.status, "Menunggu dikirim")
        XCTAssertTrue(row.spoken.hasPrefix("Surat Keterangan Domisili. Menunggu dikirim."), row.spoken)
        XCTAssertNil(row.attention)

        // What the screen shows while it sends, sampled as a screen redraws.
        var shown: [String] = []
        let watcher = Task { @MainActor in
            while !Task.isCancelled {
                if let status = outbox.rows.first?.status, shown.last != status { shown.append(status) }
                try? await Task.sleep(nanoseconds: 1_000_000)
            }
        }
        await outbox.sendNow()
        try await eventually("sent") { outbox.rows.first?.state == .sent }
        watcher.cancel()
        _ = await watcher.value

        let resets = (try? String(contentsOfFile: stats, encoding: .utf8)) ?? ""
        XCTAssertTrue(resets.contains("resets=1"), "the link dropped a connection: \(resets)")
        XCTAssertEqual(outbox.message, "1 terkirim, 0 menunggu")
        row = try XCTUnwrap(outbox.rows.first)
        // The same run pulled the agency's status feed: the core words it "received".
        XCTAssertEqual(row.status, "Diterima")
        XCTAssertEqual(row.detail, "Instansi sudah menerima permohonan Anda.")
        XCTAssertNotNil(row.item.receipt, "a verified receipt")
        XCTAssertNil(row.progress)
        XCTAssertEqual(shown.first, "Menunggu dikirim")
        XCTAssertEqual(shown.last, "Diterima")
        XCTAssertEqual(home.badges.map(\.text), ["1 terkirim"])
        XCTAssertEqual(home.session.lastReport?.sent, 1)
    }

    func testARefusedItemSaysWhyAndWhatToDoAndTryAgainSendsIt() async throws {
        let url = try env("TEST_SERVER_URL")
        let published = URL(fileURLWithPath: try env("TEST_SERVER_FORMS"))
        let fixture = URL(fileURLWithPath: try env("TEST_FORMS_DIR")).appendingPathComponent("domisili.xml")
        let formId = "domisili_" + UUID().uuidString.prefix(8).lowercased()
        let xml = try String(contentsOf: fixture, encoding: .utf8)
            .replacingOccurrences(of: "id=\"domisili\"", with: "id=\"\(formId)\"")
        let file = published.appendingPathComponent("\(formId).xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let phone = try Phone(serverURL: url)
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Warga", language: .english)
        _ = try await phone.signIn(home, phone: "081234567802")
        await home.refresh()
        let good = try await home.fileDomisili("Siti", photoBytes: 20_000, dir: phone.dir)
        let refused = try await home.fileDomisili("Budi", photoBytes: 20_000, dir: phone.dir, formId: formId)
        // The agency withdraws the form before the phone sends it.
        try FileManager.default.removeItem(at: file)

        let outbox = home.outbox()
        await outbox.sendNow()
        try await eventually("one sent, one refused") {
            outbox.rows.first { $0.id == good }?.state == .sent && outbox.rows.first { $0.id == refused }?.state == .wedged
        }
        let row = try XCTUnwrap(outbox.rows.first { $0.id == refused })
        XCTAssertEqual(row.status, "Needs your action")
        let attention = try XCTUnwrap(row.attention)
        XCTAssertEqual(attention.action, .formWithdrawn)
        XCTAssertEqual(row.item.error?.code, .server(code: .unknownForm))
        XCTAssertEqual(attention.reason, row.item.error?.messageEn)
        XCTAssertFalse(attention.reason.isEmpty)
        XCTAssertEqual(attention.advice, "This service no longer takes this form. Refresh the forms and submit again.")
        XCTAssertTrue(row.canRetry)
        XCTAssertTrue(row.spoken.contains("Needs your action"))
        XCTAssertEqual(Set(home.badges.map(\.text)), ["1 needs your action", "1 sent"])
        XCTAssertEqual(home.badges.first?.kind, .needsAction, "what needs the citizen comes first")

        // The agency publishes the form again; "try again" sends it.
        try xml.write(to: file, atomically: true, encoding: .utf8)
        await outbox.retry(refused)
        try await eventually("the retried item sent") { outbox.rows.first { $0.id == refused }?.state == .sent }
        XCTAssertNil(outbox.rows.first { $0.id == refused }?.attention)
        XCTAssertEqual(home.badges.map(\.text), ["2 sent"])
    }

    /// Every refusal maps to an action with words in both languages.
    func testEveryOutboxErrorCodeHasAnActionWordedInBothLanguages() async {
        let codes: [OutboxErrorCode] = [.network, .badAnswer, .captivePortal, .incomplete, .receiptInvalid,
                                        .attachmentDamaged, .http(status: 502)] + ErrorCode.allForTests.map { .server(code: $0) }
        var actions = Set<String>()
        for code in codes {
            let action = WedgedAction(code)
            let id = Strings(.indonesian).advice(action), en = Strings(.english).advice(action)
            XCTAssertFalse(id.isEmpty || en.isEmpty)
            XCTAssertNotEqual(id, en, "\(code)")
            actions.insert(en)
        }
        XCTAssertEqual(WedgedAction(.server(code: .payloadTooLarge)), .makeFilesSmaller)
        XCTAssertEqual(WedgedAction(.server(code: .tokenExpired)), .signIn)
        XCTAssertEqual(WedgedAction(.server(code: .invalidSubmission)), .fixAnswers)
        XCTAssertEqual(WedgedAction(.network), .waitAndResend)
        XCTAssertEqual(WedgedAction(.attachmentDamaged), .retakePhoto)
        XCTAssertEqual(actions.count, 7, "all seven actions are reachable")
    }
}

extension ErrorCode {
    /// Every code, spelled out so that a new one must be added here (the switch in
    /// ``WedgedAction`` already fails to compile).
    static var allForTests: [ErrorCode] {
        [.badRequest, .unauthorized, .tokenExpired, .forbidden, .notFound, .methodNotAllowed, .unsupportedMediaType,
         .unknownForm, .invalidSubmission, .instanceIdConflict, .attachmentConflict, .payloadTooLarge, .rateLimited,
         .invalidPhone, .invalidCode, .challengeExpired, .refreshTokenReused, .uploadOffsetMismatch,
         .checksumMismatch, .uploadIncomplete, .invalidTransition, .serviceUnavailable, .internal, .unknown]
    }
}
