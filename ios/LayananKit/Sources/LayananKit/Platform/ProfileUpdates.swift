import Foundation
import Layanan

/// A profile's live state as `AsyncStream`s, fed by the core's ``ProfileListener``
/// (one registration per profile, no polling). A screen iterates ``outbox``,
/// ``notifications``, ``timelines`` and ``sync``; ``close()`` stops the updates and
/// ends the streams. The streams buffer every value, so a consumer sees each state
/// an outbox item passes through, in commit order.
public final class ProfileUpdates: ProfileListener, @unchecked Sendable {
    /// The whole outbox, oldest first: now, then after every change.
    public let outbox: AsyncStream<[OutboxItem]>
    /// The notifications not shown yet: now, then after every change.
    public let notifications: AsyncStream<[StatusEvent]>
    /// A submission's whole timeline (instance id, events) when it changes.
    public let timelines: AsyncStream<(String, [StatusEvent])>
    /// Progress of every sync run of this profile (a background task's too).
    public let sync: AsyncStream<SyncEvent>

    private let outboxSink: AsyncStream<[OutboxItem]>.Continuation
    private let notificationsSink: AsyncStream<[StatusEvent]>.Continuation
    private let timelinesSink: AsyncStream<(String, [StatusEvent])>.Continuation
    private let syncSink: AsyncStream<SyncEvent>.Continuation
    private let lock = NSLock()
    private var handle: TaskHandle?

    private init() {
        (outbox, outboxSink) = AsyncStream.makeStream()
        (notifications, notificationsSink) = AsyncStream.makeStream()
        (timelines, timelinesSink) = AsyncStream.makeStream()
        (sync, syncSink) = AsyncStream.makeStream()
    }

    /// Subscribes to `profile`; the streams already hold the current outbox and
    /// notifications when this returns.
    public static func of(_ profile: Profile) async throws -> ProfileUpdates {
        let updates = ProfileUpdates()
        updates.adopt(try await profile.subscribe(listener: updates))
        return updates
    }

    private func adopt(_ handle: TaskHandle) {
        lock.lock()
        self.handle = handle
        lock.unlock()
    }

    public func onOutbox(items: [OutboxItem]) { outboxSink.yield(items) }
    public func onTimeline(instanceId: String, events: [StatusEvent]) { timelinesSink.yield((instanceId, events)) }
    public func onNotifications(pending: [StatusEvent]) { notificationsSink.yield(pending) }
    public func onSync(event: SyncEvent) { syncSink.yield(event) }

    /// Stops the updates and finishes the streams.
    public func close() {
        lock.lock()
        let h = handle
        handle = nil
        lock.unlock()
        h?.cancel()
        outboxSink.finish()
        notificationsSink.finish()
        timelinesSink.finish()
        syncSink.finish()
    }

    deinit { close() }
}
