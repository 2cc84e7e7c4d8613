import Foundation
import Layanan
import Observation

/// A notification's words: which application, its new status, the officer's note.
public struct NotificationContent: Equatable, Sendable {
    public let eventId: Int64
    public let instanceId: String
    public let title: String
    public let body: String

    @MainActor
    init(_ event: StatusEvent, session: ProfileSession) {
        let lang = session.language
        let form = session.outbox.first { $0.instanceId == event.instanceId }.map { session.formName($0.formId) }
        eventId = event.id
        instanceId = event.instanceId
        title = [form, event.status.title(lang)].compactMap { $0 }.joined(separator: ": ")
        body = event.note.map(session.strings.officerNote) ?? event.status.detail(lang)
    }
}

/// The agency's news the citizen has not seen: listed in the app, and posted as local
/// notifications when the app is in the background (``NotificationDispatcher``).
@MainActor
@Observable
public final class NotificationsModel {
    public let session: ProfileSession
    public private(set) var message: String?

    init(session: ProfileSession) { self.session = session }

    public var strings: Strings { session.strings }
    public var items: [NotificationContent] { session.notifications.map { NotificationContent($0, session: session) } }

    /// The citizen saw the list: they are no longer new.
    public func markAllRead() async {
        do { try await session.markNotified(session.notifications.map(\.id)) } catch { message = strings.message(error) }
    }

    /// Opens a notification's timeline and marks it read.
    public func open(_ item: NotificationContent) async -> TimelineModel {
        do { try await session.markNotified([item.eventId]) } catch { message = strings.message(error) }
        let timeline = TimelineModel(session: session, instanceId: item.instanceId)
        await timeline.load()
        return timeline
    }
}
