import Foundation

/// What the app is built with: where its data lives, the agency's server and the
/// agency's receipt key (shipped with the app, never fetched from the server it
/// checks), and how keys are kept.
public struct AppConfig: Sendable {
    /// The app's private folder for the sealed store.
    public var dataDir: String
    public var serverURL: String
    public var agencyKeyHex: String
    public var vaults: Vaults
    /// Whether Face ID / Touch ID is set up (LocalAuthentication's `canEvaluatePolicy`).
    public var biometricsAvailable: Bool
    /// The device's offset from UTC now (WIB 420, WITA 480, WIT 540).
    public var utcOffsetMinutes: Int32
    /// The time budget of a run started by a screen.
    public var foregroundSyncSecs: UInt32

    public init(dataDir: String, serverURL: String, agencyKeyHex: String, vaults: Vaults,
                biometricsAvailable: Bool,
                utcOffsetMinutes: Int32 = Int32(TimeZone.current.secondsFromGMT() / 60),
                foregroundSyncSecs: UInt32 = 120) {
        self.dataDir = dataDir
        self.serverURL = serverURL
        self.agencyKeyHex = agencyKeyHex
        self.vaults = vaults
        self.biometricsAvailable = biometricsAvailable
        self.utcOffsetMinutes = utcOffsetMinutes
        self.foregroundSyncSecs = foregroundSyncSecs
    }

    /// The preferences file, next to the store's folder.
    public var preferencesPath: String { (dataDir as NSString).appendingPathComponent("preferences.json") }
}
