import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
import Layanan
@testable import LayananKit

/// The Keychain's biometric items as the tests need them: a prompt the citizen can
/// cancel, and a change of enrolled faces that invalidates every item (the Keychain
/// then finds nothing, as `.biometryCurrentSet` does).
final class BiometricSecretStore: SecretStore, @unchecked Sendable {
    private let inner = InMemorySecretStore()
    private let lock = NSLock()
    private var cancelNext = false
    private(set) var prompts = 0

    func write(account: String, secret: Data) throws { try inner.write(account: account, secret: secret) }
    func delete(account: String) throws { try inner.delete(account: account) }

    func read(account: String) throws -> Data? {
        lock.lock()
        prompts += 1
        let cancel = cancelNext
        cancelNext = false
        lock.unlock()
        if cancel { throw SecretStoreError.cancelled }
        return try inner.read(account: account)
    }

    /// The citizen will dismiss the next Face ID sheet.
    func cancelNextPrompt() { lock.lock(); cancelNext = true; lock.unlock() }

    /// A face was added in the phone's settings: every biometric item is gone.
    func enrollmentChanged(accounts: [String]) throws { for a in accounts { try inner.delete(account: a) } }

    var count: Int { inner.count }
}

/// A phone for the presentation tests: its data folder, its key stores, and an
/// ``AppModel`` that can be dropped ("the app is killed") and started again on the
/// same folder and keys.
@MainActor
final class Phone {
    let dir: URL
    let deviceKeys = InMemorySecretStore()
    let biometricKeys = BiometricSecretStore()
    var serverURL: String
    let biometrics: Bool
    private(set) var app: AppModel

    init(serverURL: String, biometrics: Bool = true) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("layanan-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        self.serverURL = serverURL
        self.biometrics = biometrics
        app = AppModel(config: Phone.config(dir, serverURL, deviceKeys, biometricKeys, biometrics))
    }

    static func config(_ dir: URL, _ url: String, _ device: SecretStore, _ bio: SecretStore, _ biometrics: Bool) -> AppConfig {
        AppConfig(dataDir: dir.appendingPathComponent("data").path, serverURL: url,
                  agencyKeyHex: ProcessInfo.processInfo.environment["TEST_AGENCY_KEY"] ?? "",
                  vaults: Vaults(deviceKeys: device, biometricKeys: bio),
                  biometricsAvailable: biometrics, utcOffsetMinutes: 420, foregroundSyncSecs: 60)
    }

    /// The app process dies: every model, session and core object is released
    /// without locking; a new app starts on the same files.
    func killAndRelaunch() async {
        app = AppModel(config: Phone.config(dir, serverURL, deviceKeys, biometricKeys, biometrics))
        await app.start()
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    var onboarding: OnboardingModel? { if case .onboarding(let m) = app.screen { return m } else { return nil } }
    var unlock: UnlockModel? { if case .unlock(let m) = app.screen { return m } else { return nil } }
    var home: HomeModel? { if case .home(let m) = app.screen { return m } else { return nil } }

    /// Onboards one profile and returns home.
    func onboard(label: String = "Ibu", language: AppLanguage = .indonesian, protection: Protection = .deviceKey,
                 passphrase: String = "") async throws -> HomeModel {
        await app.start()
        let model = try XCTUnwrap(onboarding, "a phone without profiles onboards")
        model.choose(language)
        model.next()
        model.label = label
        model.next()
        model.choose(protection)
        model.passphrase = passphrase
        model.passphraseConfirmation = passphrase
        let created = await model.create()
        XCTAssertTrue(created, model.message ?? "")
        return try XCTUnwrap(home, "onboarding ends on home")
    }

    /// Signs in through the settings screen with the code from the server's log.
    func signIn(_ home: HomeModel, phone: String) async throws -> SettingsModel {
        let log = try XCTUnwrap(ProcessInfo.processInfo.environment["TEST_SERVER_LOG"])
        let settings = home.settings()
        await settings.load()
        XCTAssertEqual(settings.signIn, .signedOut)
        let seen = ServerLog.codes(log).count
        settings.phone = phone
        await settings.sendCode()
        guard case .codeSent(_, let length) = settings.signIn else {
            throw TestFailure(description: "no code sent: \(settings.message ?? "")")
        }
        XCTAssertEqual(settings.signInText, home.strings.enterCode(length))
        settings.code = try ServerLog.newCode(log, after: seen)
        await settings.confirmCode()
        guard case .signedIn = settings.signIn else {
            throw TestFailure(description: "not signed in: \(settings.message ?? "")")
        }
        return settings
    }
}

/// Waits (up to `seconds`) until `condition` holds on the main actor.
@MainActor
func eventually(_ what: String, seconds: Double = 20, _ condition: () -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { throw TestFailure(description: "timed out waiting for \(what)") }
        try await Task.sleep(nanoseconds: 5_000_000)
    }
}

/// The agency's officer, through the reference server's officer API.
struct Officer {
    let serverURL: String
    let token: String

    static func fromEnvironment() throws -> Officer {
        let env = ProcessInfo.processInfo.environment
        guard let url = env["TEST_SERVER_URL"], let file = env["TEST_OFFICER_TOKEN_FILE"] else {
            throw XCTSkip("run through tests/swift/run.sh (TEST_OFFICER_TOKEN_FILE)")
        }
        let token = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return Officer(serverURL: url, token: token)
    }

    /// Moves a submission to `state` (`in_review`, `approved`...) with a note.
    func decide(_ instanceId: String, _ state: String, note: String? = nil) async throws {
        let id = instanceId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? instanceId
        var request = URLRequest(url: URL(string: "\(serverURL)/v1/officer/submissions/\(id)/status")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        var body: [String: String] = ["state": state]
        if let note { body["note"] = note }
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            throw TestFailure(description: "officer \(state): HTTP \(status) \(String(decoding: data, as: UTF8.self))")
        }
    }
}

/// A photo the camera left in a temporary file.
func cameraPhoto(in dir: URL, bytes: Int) throws -> URL {
    let data = jpegStandIn(bytes)
    let url = dir.appendingPathComponent("camera-\(UUID().uuidString).jpg")
    try data.write(to: url)
    return url
}
