import Foundation
import Layanan

/// Shows one local notification. `UserNotificationPoster` on iOS.
public protocol NotificationPoster: Sendable {
    func post(identifier: String, title: String, body: String) async throws
}

/// Posts the profile's pending notifications (the agency's decisions the citizen has
/// not been told) and marks them notified, so each is posted once. Run it after a
/// background sync, when the app is not on screen.
@MainActor
public struct NotificationDispatcher {
    let session: ProfileSession
    let poster: NotificationPoster

    public init(session: ProfileSession, poster: NotificationPoster) {
        self.session = session
        self.poster = poster
    }

    /// Posts what is pending now; returns how many were posted.
    @discardableResult
    public func deliver() async throws -> Int {
        let pending = try await session.profile.timeline().pendingNotifications()
        var posted: [Int64] = []
        for event in pending {
            let content = NotificationContent(event, session: session)
            try await poster.post(identifier: "layanan.status.\(event.id)", title: content.title, body: content.body)
            posted.append(event.id)
        }
        try await session.markNotified(posted)
        return posted.count
    }
}

#if canImport(UserNotifications)
import UserNotifications

/// `UNUserNotificationCenter` as a ``NotificationPoster``.
public struct UserNotificationPoster: NotificationPoster {
    public init() {}

    /// Asks once for permission to show alerts and badges.
    public static func requestPermission() async -> Bool {
        (try? await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .badge, .sound])) ?? false
    }

    public func post(identifier: String, title: String, body: String) async throws {
        let content = UNMutableNotificationContent()
        content.title = title
        content.body = body
        content.threadIdentifier = "layanan.status"
        try await UNUserNotificationCenter.current().add(
            UNNotificationRequest(identifier: identifier, content: content, trigger: nil))
    }
}
#endif
