import Foundation
import Layanan
import Observation

/// One step of a submission's history, in words, with the officer's note.
public struct TimelineRow: Identifiable {
    public let event: StatusEvent
    public let title: String
    public let detail: String
    public let note: String?
    public let date: String
    public var id: Int64 { event.id }
    public var state: SubmissionState { event.state }
    public var spoken: String { [title, date, detail, note].compactMap { $0 }.joined(separator: ". ") }
}

/// A submission's status timeline at the agency, live.
@MainActor
@Observable
public final class TimelineModel {
    public let session: ProfileSession
    public let instanceId: String
    private var loaded: [StatusEvent] = []
    public private(set) var message: String?

    init(session: ProfileSession, instanceId: String) {
        self.session = session
        self.instanceId = instanceId
    }

    public var strings: Strings { session.strings }
    public var title: String {
        session.outbox.first { $0.instanceId == instanceId }.map { session.formName($0.formId) } ?? strings.timelineTitle
    }

    /// Reads the stored timeline; later changes arrive through the session.
    public func load() async {
        do { loaded = try await session.profile.timeline().of(instanceId: instanceId) } catch { message = strings.message(error) }
    }

    public var rows: [TimelineRow] {
        let events = session.timelines[instanceId] ?? loaded
        let lang = session.language
        return events.map {
            TimelineRow(event: $0, title: $0.status.title(lang), detail: $0.status.detail(lang),
                        note: $0.note.map(strings.officerNote), date: DateText.of($0.atMs, lang))
        }
    }
}
