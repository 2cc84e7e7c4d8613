import Foundation
import Layanan
import Observation

/// An unlocked profile and everything live about it, shared by the screens: one
/// subscription to the core's changes (``ProfileUpdates``), one ``SyncService``. The
/// outbox, notifications and timelines here are what the core last pushed; screens
/// read them and never poll.
@MainActor
@Observable
public final class ProfileSession {
    public let profile: Profile
    public let profileId: String
    public let label: String
    public let protection: Protection
    /// The profile's sync service; replaced after signing out (see ``signOut()``).
    public private(set) var sync: SyncService
    public let config: AppConfig
    let preferences: Preferences

    /// The app's language for this profile; changing it re-renders every screen.
    public private(set) var language: AppLanguage
    public var strings: Strings { Strings(language) }

    /// The whole outbox, oldest first, as last committed.
    public private(set) var outbox: [OutboxItem] = []
    /// Status changes the citizen has not been told about yet.
    public private(set) var notifications: [StatusEvent] = []
    /// Timelines pushed since the session opened, by instance id.
    public private(set) var timelines: [String: [StatusEvent]] = [:]
    /// Upload progress (0...1) of the items being sent now.
    public private(set) var uploads: [String: Double] = [:]
    /// The forms kept offline, by name.
    public private(set) var forms: [CachedForm] = []
    /// The drafts, most recently saved first.
    public private(set) var drafts: [DraftSummary] = []
    /// True while a run started here is going.
    public private(set) var syncing = false
    /// The last run's report (any run of this profile, a background one too).
    public private(set) var lastReport: SyncReport?

    @ObservationIgnored private var updates: ProfileUpdates?
    @ObservationIgnored private var listeners: [Task<Void, Never>] = []
    @ObservationIgnored private var currentRun: SyncRun?
    /// Feeds the network path to ``sync`` (and to its replacement after a sign-out).
    @ObservationIgnored public var networkFeed: NetworkFeed? {
        didSet { oldValue?.detach(sync); networkFeed?.attach(sync) }
    }
    /// The form being filled, told when the language changes.
    @ObservationIgnored weak var openForm: FormModel?

    init(profile: Profile, label: String, protection: Protection, language: AppLanguage,
         config: AppConfig, preferences: Preferences) throws {
        self.profile = profile
        self.profileId = profile.id()
        self.label = label
        self.protection = protection
        self.language = language
        self.config = config
        self.preferences = preferences
        self.sync = try SyncService(profile: profile, serverUrl: config.serverURL,
                                    agencyPublicKeyHex: config.agencyKeyHex)
    }

    /// Subscribes to the profile and reads what the screens start from.
    func start() async throws {
        let updates = try await ProfileUpdates.of(profile)
        self.updates = updates
        listeners = [
            Task { [weak self] in for await items in updates.outbox { self?.outbox = items } },
            Task { [weak self] in for await pending in updates.notifications { self?.notifications = pending } },
            Task { [weak self] in for await (id, events) in updates.timelines { self?.timelines[id] = events } },
            Task { [weak self] in for await event in updates.sync { self?.apply(event) } },
        ]
        try await reloadLists()
    }

    private func apply(_ event: SyncEvent) {
        switch event {
        case .upload(let id, let sent, let total):
            uploads[id] = total == 0 ? 1 : Double(sent) / Double(total)
        case .itemFinished(let id, _, _):
            uploads[id] = nil
        case .finished(let report):
            uploads = [:]
            lastReport = report
        case .started, .itemStarted, .statusUpdated:
            break
        }
    }

    /// Re-reads the offline forms and the drafts (they change only through this app).
    public func reloadLists() async throws {
        forms = try await profile.forms().list()
        drafts = try await profile.drafts().list()
    }

    /// Refreshes the offline forms from the server; on failure the kept ones stay.
    public func updateForms() async throws {
        _ = try await sync.updateForms()
        forms = try await profile.forms().list()
    }

    /// The form's name, from the offline copy.
    public func formName(_ formId: String) -> String {
        forms.first { $0.formId == formId }?.name ?? strings.unknownForm
    }

    /// Sends what is due now and pulls the agency's decisions. One run at a time.
    @discardableResult
    public func sendNow() async throws -> SyncReport {
        if let running = currentRun { return try await running.report() }
        let run = await sync.syncNow(timeBudgetSecs: config.foregroundSyncSecs, listener: nil)
        currentRun = run
        syncing = true
        defer { currentRun = nil; syncing = false }
        let report = try await run.report()
        lastReport = report
        return report
    }

    /// Forgets the session tokens. A sync service keeps the session it read in
    /// memory, so the service is replaced by one that reads the signed-out account:
    /// the outbox then waits until the citizen signs in again.
    public func signOut() async throws {
        currentRun?.cancel()
        try await profile.account().signOut()
        let fresh = try SyncService(profile: profile, serverUrl: config.serverURL,
                                    agencyPublicKeyHex: config.agencyKeyHex)
        networkFeed?.detach(sync)
        sync = fresh
        networkFeed?.attach(fresh)
    }

    /// Changes the app's language for this profile; the open form follows.
    public func setLanguage(_ language: AppLanguage) async throws {
        try preferences.setLanguage(profileId, language)
        self.language = language
        await openForm?.follow(language)
    }

    /// Marks notifications as seen by the citizen.
    public func markNotified(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await profile.timeline().markNotified(eventIds: ids)
    }

    /// Stops the updates and any run started here; locks the profile.
    public func lock() {
        currentRun?.cancel()
        close()
        profile.lock()
    }

    func close() {
        listeners.forEach { $0.cancel() }
        listeners = []
        updates?.close()
        updates = nil
    }
}
