import Foundation
import Layanan
import Observation

/// A count on the home screen, always in words (never a colour alone).
public struct OutboxBadge: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case waiting, sending, sent, needsAction }
    public let kind: Kind
    public let count: Int
    /// "2 menunggu dikirim": the badge's text and what a screen reader says.
    public let text: String
}

/// Home: the services (forms kept offline), the drafts to continue, the outbox's badges
/// and the unread notifications, all live from the profile's session.
@MainActor
@Observable
public final class HomeModel {
    struct Actions {
        let lock: @MainActor () async -> Void
        let removeProfile: @MainActor () async -> Void
    }

    public struct FormRow: Identifiable, Equatable, Sendable {
        public let id: String
        public let name: String
    }

    public struct DraftRow: Identifiable, Equatable, Sendable {
        public let id: String
        public let formId: String
        public let formName: String
        public let saved: String
    }

    public let session: ProfileSession
    public private(set) var message: String?
    public private(set) var refreshing = false
    private let actions: Actions

    init(session: ProfileSession, actions: Actions) {
        self.session = session
        self.actions = actions
    }

    public var strings: Strings { session.strings }
    public var title: String { session.label }

    public var forms: [FormRow] {
        session.forms.map { FormRow(id: $0.formId, name: $0.name) }
    }

    public var drafts: [DraftRow] {
        session.drafts.map {
            DraftRow(id: $0.id, formId: $0.formId, formName: session.formName($0.formId),
                     saved: strings.draftSaved(DateText.of($0.updatedAtMs, session.language)))
        }
    }

    /// Only the non-empty badges, in a fixed order.
    public var badges: [OutboxBadge] {
        let counts: [(OutboxBadge.Kind, Int)] = [
            (.needsAction, session.outbox.filter { $0.state == .wedged }.count),
            (.waiting, session.outbox.filter { $0.state == .queued || $0.state == .failed }.count),
            (.sending, session.outbox.filter { $0.state == .sending }.count),
            (.sent, session.outbox.filter { $0.state == .sent }.count),
        ]
        return counts.filter { $0.1 > 0 }.map { OutboxBadge(kind: $0.0, count: $0.1, text: strings.badge($0.0, $0.1)) }
    }

    public var unreadCount: Int { session.notifications.count }
    public var unreadText: String? { unreadCount == 0 ? nil : strings.unread(unreadCount) }

    /// Pull to refresh: new forms from the server when there is signal; the drafts.
    public func refresh() async {
        refreshing = true
        defer { refreshing = false }
        message = nil
        do {
            try await session.updateForms()
        } catch {
            message = strings.formsKeptOffline
        }
        do { try await session.reloadLists() } catch { message = strings.message(error) }
    }

    public func startForm(_ formId: String) async -> FormModel? {
        do {
            return try await FormModel.start(session: session, formId: formId)
        } catch {
            message = strings.message(error)
            return nil
        }
    }

    public func resumeDraft(_ draftId: String) async -> FormModel? {
        do {
            return try await FormModel.resume(session: session, draftId: draftId)
        } catch {
            message = strings.message(error)
            return nil
        }
    }

    public func outbox() -> OutboxModel { OutboxModel(session: session) }
    public func notifications() -> NotificationsModel { NotificationsModel(session: session) }
    public func settings() -> SettingsModel { SettingsModel(session: session, removeProfile: actions.removeProfile) }
    public func lock() async { await actions.lock() }
}
