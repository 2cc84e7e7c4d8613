import Foundation
import Layanan

/// What the phone's network path looks like, as `NWPathMonitor` reports it.
public struct PathSnapshot: Equatable, Sendable {
    public var satisfied: Bool
    /// Cellular or a personal hotspot (`NWPath.isExpensive`).
    public var expensive: Bool
    /// Low Data Mode (`NWPath.isConstrained`).
    public var constrained: Bool

    public init(satisfied: Bool, expensive: Bool, constrained: Bool) {
        self.satisfied = satisfied
        self.expensive = expensive
        self.constrained = constrained
    }

    /// The core's view: Low Data Mode counts as metered, so "Wi-Fi only" waits too.
    public var networkState: NetworkState {
        NetworkState(connected: satisfied, metered: expensive || constrained)
    }
}

/// Feeds the network path into every ``SyncService`` the app holds (the screens' and
/// the background task's), so the core decides with the current path whether to send.
/// `NWPathMonitor` drives it on iOS (``PathMonitor``); tests drive it directly.
public final class NetworkFeed: @unchecked Sendable {
    private let lock = NSLock()
    private var current: PathSnapshot?
    private var services: [ObjectIdentifier: SyncService] = [:]

    public init() {}

    /// The last path seen, nil before the first.
    public var snapshot: PathSnapshot? {
        lock.lock(); defer { lock.unlock() }
        return current
    }

    /// Starts feeding `service`, with the current path at once when known.
    public func attach(_ service: SyncService) {
        lock.lock()
        services[ObjectIdentifier(service)] = service
        let now = current
        lock.unlock()
        if let now { service.setNetwork(state: now.networkState) }
    }

    public func detach(_ service: SyncService) {
        lock.lock()
        services[ObjectIdentifier(service)] = nil
        lock.unlock()
    }

    /// A new path: every attached service hears it.
    public func update(_ snapshot: PathSnapshot) {
        lock.lock()
        current = snapshot
        let targets = Array(services.values)
        lock.unlock()
        for service in targets { service.setNetwork(state: snapshot.networkState) }
    }
}

#if canImport(Network)
import Network

/// `NWPathMonitor` feeding a ``NetworkFeed``.
public final class PathMonitor: @unchecked Sendable {
    private let monitor = NWPathMonitor()
    private let queue = DispatchQueue(label: "id.layanan.path")

    public init(feed: NetworkFeed) {
        monitor.pathUpdateHandler = { path in
            feed.update(PathSnapshot(satisfied: path.status == .satisfied,
                                     expensive: path.isExpensive,
                                     constrained: path.isConstrained))
        }
    }

    public func start() { monitor.start(queue: queue) }
    public func stop() { monitor.cancel() }
}
#endif
