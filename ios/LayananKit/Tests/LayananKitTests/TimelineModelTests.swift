import Foundation
import XCTest
import Layanan
@testable import LayananKit

/// Shows notifications on a "lock screen" the test can read.
final class RecordingPoster: NotificationPoster, @unchecked Sendable {
    struct Posted: Equatable { let identifier, title, body: String }
    private let lock = NSLock()
    private var _posted: [Posted] = []
    var posted: [Posted] { lock.lock(); defer { lock.unlock() }; return _posted }

    func post(identifier: String, title: String, body: String) async throws {
        lock.withLock { _posted.append(Posted(identifier: identifier, title: title, body: body)) }
    }
}

/// An officer's decision reaches the citizen: in the timeline, as unread on home, and
/// as a local notification posted once.
@MainActor
final class TimelineModelTests: XCTestCase {
    func testAnOfficerDecisionAppearsInTheTimelineAndAsANotification() async throws {
        let officer = try Officer.fromEnvironment()
        let phone = try Phone(serverURL: officer.serverURL)
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Ibu Sri")
        _ = try await phone.signIn(home, phone: "081234567803")
        await home.refresh()
        let id = try await home.fileDomisili("Sri Wahyuni", photoBytes: 30_000, dir: phone.dir)
        let outbox = home.outbox()
        await outbox.sendNow()
        try await eventually("sent") { outbox.rows.first?.state == .sent }

        // The run that sent it pulled "received" too.
        try await eventually("received on home") { home.unreadCount == 1 }
        XCTAssertEqual(home.unreadText, "1 pemberitahuan baru")
        XCTAssertEqual(home.notifications().items.map(\.title), ["Surat Keterangan Domisili: Diterima"])

        let note = "Silakan ambil surat di kantor desa hari Senin."
        try await officer.decide(id, "in_review")
        try await officer.decide(id, "approved", note: note)
        await outbox.sendNow()   // a run also pulls the agency's decisions

        try await eventually("the decisions on home") { home.unreadCount == 3 }
        XCTAssertEqual(home.unreadText, "3 pemberitahuan baru")
        try await eventually("the outbox row says approved") { outbox.rows.first?.status == "Disetujui" }

        let timeline = outbox.timeline(id)
        await timeline.load()
        XCTAssertEqual(timeline.title, "Surat Keterangan Domisili")
        let states = timeline.rows.map(\.state)
        XCTAssertEqual(states, [.received, .inReview, .approved])
        let approved = try XCTUnwrap(timeline.rows.last)
        XCTAssertEqual(approved.title, "Disetujui")
        XCTAssertEqual(approved.note, "Catatan petugas: \(note)")
        XCTAssertTrue(approved.spoken.hasPrefix("Disetujui. "), approved.spoken)
        XCTAssertTrue(approved.spoken.contains(note))

        // In the background the app posts them as local notifications, once.
        let notifications = home.notifications()
        let expected = notifications.items
        XCTAssertEqual(expected.last?.title, "Surat Keterangan Domisili: Disetujui")
        XCTAssertEqual(expected.last?.body, "Catatan petugas: \(note)")
        let poster = RecordingPoster()
        let posted = try await NotificationDispatcher(session: home.session, poster: poster).deliver()
        XCTAssertEqual(posted, expected.count)
        XCTAssertEqual(poster.posted.map(\.title), expected.map(\.title))
        XCTAssertEqual(poster.posted.map(\.body), expected.map(\.body))
        XCTAssertEqual(Set(poster.posted.map(\.identifier)).count, posted, "one identifier per event")
        try await eventually("nothing unread") { home.unreadCount == 0 }
        let again = try await NotificationDispatcher(session: home.session, poster: poster).deliver()
        XCTAssertEqual(again, 0, "each decision is told once")
        XCTAssertTrue(notifications.items.isEmpty)
    }

    func testOpeningANotificationMarksItReadAndShowsItsTimelineInEnglish() async throws {
        let officer = try Officer.fromEnvironment()
        let phone = try Phone(serverURL: officer.serverURL)
        defer { phone.remove() }
        let home = try await phone.onboard(label: "Pak Joko", language: .english)
        _ = try await phone.signIn(home, phone: "081234567804")
        await home.refresh()
        let id = try await home.fileDomisili("Joko", photoBytes: 10_000, dir: phone.dir)
        let outbox = home.outbox()
        await outbox.sendNow()
        try await officer.decide(id, "rejected", note: "Foto KTP tidak terbaca.")
        await outbox.sendNow()
        let notifications = home.notifications()
        try await eventually("the rejection") { notifications.items.contains { $0.title.hasSuffix("Rejected") } }
        let item = try XCTUnwrap(notifications.items.first { $0.title.hasSuffix("Rejected") })
        XCTAssertEqual(item.body, "Officer's note: Foto KTP tidak terbaca.")
        let timeline = await notifications.open(item)
        XCTAssertEqual(timeline.rows.last?.title, "Rejected")
        XCTAssertEqual(timeline.rows.last?.state, .rejected)
        try await eventually("read") { !notifications.items.contains { $0.eventId == item.eventId } }
    }
}
