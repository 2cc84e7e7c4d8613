import Foundation
import Layanan

/// One background sync: starts a run with the time the system gives and cancels that
/// run's handle when the system says time is up (`BGTask.expirationHandler`). What
/// the cancelled run was sending goes back to the queue; the next run finishes it.
public final class BackgroundSyncJob: @unchecked Sendable {
    private let sync: SyncService
    private let budgetSecs: UInt32
    private let lock = NSLock()
    private var run: SyncRun?
    private var expired = false

    public init(sync: SyncService, budgetSecs: UInt32 = 25) {
        self.sync = sync
        self.budgetSecs = budgetSecs
    }

    /// Runs once and returns the report (`stopped == .cancelled` after ``expire()``).
    public func perform() async throws -> SyncReport {
        let run = await sync.syncNow(timeBudgetSecs: budgetSecs, listener: nil)
        let cancelNow = lock.withLock { () -> Bool in
            self.run = run
            return expired
        }
        if cancelNow { run.cancel() }
        return try await run.report()
    }

    /// The system's time is up: cancel the run (before it started, too).
    public func expire() {
        let run = lock.withLock { () -> SyncRun? in
            expired = true
            return self.run
        }
        run?.cancel()
    }
}

#if canImport(BackgroundTasks) && os(iOS)
import BackgroundTasks

/// Registers and schedules the `BGProcessingTask` that sends the outbox. The
/// identifier must be listed under `BGTaskSchedulerPermittedIdentifiers` in
/// Info.plist. `service` returns the sync service of the profile that is unlocked
/// (or openable without the citizen: a device-key profile), nil when none is.
public enum BackgroundSyncScheduler {
    public static let identifier = "id.layanan.sync"

    public static func register(service: @escaping @Sendable () async -> SyncService?,
                                afterRun: @escaping @Sendable (SyncReport) async -> Void = { _ in }) {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
            schedule()
            let work = Task {
                guard let sync = await service() else {
                    task.setTaskCompleted(success: false)
                    return
                }
                let job = BackgroundSyncJob(sync: sync)
                task.expirationHandler = { job.expire() }
                do {
                    let report = try await job.perform()
                    await afterRun(report)
                    task.setTaskCompleted(success: report.stopped != .cancelled)
                } catch {
                    task.setTaskCompleted(success: false)
                }
            }
            _ = work
        }
    }

    /// Asks for the next run when the phone has a network (the core itself waits for
    /// Wi-Fi when the profile says "Wi-Fi only").
    public static func schedule(earliest: TimeInterval = 15 * 60) {
        let request = BGProcessingTaskRequest(identifier: identifier)
        request.requiresNetworkConnectivity = true
        request.requiresExternalPower = false
        request.earliestBeginDate = Date(timeIntervalSinceNow: earliest)
        try? BGTaskScheduler.shared.submit(request)
    }
}
#endif
