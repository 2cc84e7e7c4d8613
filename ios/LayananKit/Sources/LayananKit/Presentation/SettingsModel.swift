import Foundation
import Layanan
import Observation

/// Settings: the language, "Wi-Fi only" (stored with the profile, so the background
/// task follows it too), signing in with a one-time SMS code and out, locking, and
/// removing this profile from the phone.
@MainActor
@Observable
public final class SettingsModel {
    public enum SignIn: Equatable, Sendable {
        case unknown
        case signedOut
        /// The SMS was sent; the code has `length` digits.
        case codeSent(challengeId: String, length: UInt32)
        case signedIn(server: String)
    }

    public let session: ProfileSession
    public private(set) var wifiOnly = false
    public private(set) var signIn: SignIn = .unknown
    public var phone = ""
    public var code = ""
    public private(set) var message: String?
    public private(set) var busy = false
    private let removeProfile: @MainActor () async -> Void

    init(session: ProfileSession, removeProfile: @escaping @MainActor () async -> Void) {
        self.session = session
        self.removeProfile = removeProfile
    }

    public var strings: Strings { session.strings }
    public var language: AppLanguage { session.language }
    public var languages: [AppLanguage] { AppLanguage.allCases }
    public var signInText: String {
        switch signIn {
        case .signedIn(let server): return strings.signedIn(server)
        case .codeSent(_, let length): return strings.enterCode(length)
        case .signedOut, .unknown: return strings.signedOut
        }
    }

    /// Reads the stored settings and the account.
    public func load() async {
        do {
            wifiOnly = try await session.profile.account().syncSettings().wifiOnly
            let server = try await session.profile.account().server()
            signIn = server?.signedIn == true ? .signedIn(server: server?.serverUrl ?? "") : .signedOut
        } catch {
            message = strings.message(error)
        }
    }

    public func setLanguage(_ language: AppLanguage) async {
        do { try await session.setLanguage(language) } catch { message = strings.message(error) }
    }

    public func setWifiOnly(_ on: Bool) async {
        do {
            try await session.profile.account().setSyncSettings(settings: SyncSettings(wifiOnly: on))
            wifiOnly = on
        } catch {
            message = strings.message(error)
        }
    }

    /// Texts a one-time code to ``phone``.
    public func sendCode() async {
        await run {
            let challenge = try await self.session.sync.startSignIn(phone: self.phone)
            self.code = ""
            self.signIn = .codeSent(challengeId: challenge.challengeId, length: challenge.codeLength)
        }
    }

    /// Signs in with the typed ``code``; what waited in the outbox can go.
    public func confirmCode() async {
        guard case .codeSent(let challengeId, _) = signIn else { return }
        await run {
            try await self.session.sync.finishSignIn(challengeId: challengeId, code: self.code)
            self.code = ""
            let server = try await self.session.profile.account().server()
            self.signIn = .signedIn(server: server?.serverUrl ?? self.session.config.serverURL)
        }
    }

    public func signOut() async {
        await run {
            try await self.session.signOut()
            self.signIn = .signedOut
        }
    }

    /// Removes this profile and everything of it from the phone (after the screen's
    /// confirmation showing ``Strings/removeProfileWarning``).
    public func remove() async { await removeProfile() }

    private func run(_ body: @escaping () async throws -> Void) async {
        guard !busy else { return }
        busy = true
        defer { busy = false }
        message = nil
        do { try await body() } catch { message = strings.message(error) }
    }
}
