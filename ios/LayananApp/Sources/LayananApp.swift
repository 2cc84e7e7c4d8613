import LayananKit
import LocalAuthentication
import SwiftUI

/// The iOS app: builds the configuration, starts the root model, registers the
/// background sync and the path monitor. Every decision lives in LayananKit's models.
@main
struct LayananApp: App {
    @State private var app: AppModel
    private let feed: NetworkFeed
    private let monitor: PathMonitor

    init() {
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        let info = Bundle.main.infoDictionary ?? [:]
        let config = AppConfig(
            dataDir: support.appendingPathComponent("layanan").path,
            serverURL: info["LayananServerURL"] as? String ?? "",
            agencyKeyHex: info["LayananAgencyKey"] as? String ?? "",
            vaults: .keychain(prompt: Strings(.indonesian).biometricPrompt),
            biometricsAvailable: LAContext().canEvaluatePolicy(.deviceOwnerAuthenticationWithBiometrics, error: nil))
        let app = AppModel(config: config)
        _app = State(initialValue: app)
        let feed = NetworkFeed()
        self.feed = feed
        monitor = PathMonitor(feed: feed)
        monitor.start()
        BackgroundSyncScheduler.register(
            service: { @MainActor in
                guard let session = app.session else { return nil }
                session.networkFeed = feed
                return session.sync
            },
            afterRun: { @MainActor _ in
                guard let session = app.session else { return }
                try? await NotificationDispatcher(session: session, poster: UserNotificationPoster()).deliver()
            })
    }

    var body: some Scene {
        WindowGroup {
            RootView(app: app, feed: feed)
                .task { await app.start() }
        }
    }
}

struct RootView: View {
    let app: AppModel
    let feed: NetworkFeed
    @Environment(\.scenePhase) private var phase

    var body: some View {
        Group {
            switch app.screen {
            case .starting: ProgressView()
            case .onboarding(let model): OnboardingView(model: model)
            case .unlock(let model): UnlockView(model: model)
            case .home(let model): HomeView(model: model).onAppear { model.session.networkFeed = feed }
            case .failed(let message): Text(message).padding()
            }
        }
        .onChange(of: phase) { _, now in
            if now == .background {
                BackgroundSyncScheduler.schedule()
                Task { _ = await UserNotificationPoster.requestPermission() }
            }
        }
    }
}
