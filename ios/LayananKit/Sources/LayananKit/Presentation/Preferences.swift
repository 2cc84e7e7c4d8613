import Foundation

/// What the app remembers outside the sealed store, per profile: the language and how
/// the profile is protected (which unlock button to show). Neither is personal data.
/// A small JSON file, written atomically.
public final class Preferences: @unchecked Sendable {
    public struct ProfilePreferences: Codable, Equatable, Sendable {
        public var language: AppLanguage
        public var protection: Protection
    }

    private struct Contents: Codable {
        var profiles: [String: ProfilePreferences] = [:]
        var lastProfileId: String?
    }

    private let url: URL
    private let lock = NSLock()
    private var contents: Contents

    public init(path: String) {
        url = URL(fileURLWithPath: path)
        contents = (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode(Contents.self, from: $0) } ?? Contents()
    }

    public func profile(_ id: String) -> ProfilePreferences? {
        lock.lock(); defer { lock.unlock() }
        return contents.profiles[id]
    }

    public var lastProfileId: String? {
        lock.lock(); defer { lock.unlock() }
        return contents.lastProfileId
    }

    public func set(_ id: String, _ prefs: ProfilePreferences) throws {
        try change { $0.profiles[id] = prefs; $0.lastProfileId = id }
    }

    public func setLanguage(_ id: String, _ language: AppLanguage) throws {
        try change { $0.profiles[id]?.language = language }
    }

    public func setLastProfile(_ id: String) throws {
        try change { $0.lastProfileId = id }
    }

    public func remove(_ id: String) throws {
        try change {
            $0.profiles[id] = nil
            if $0.lastProfileId == id { $0.lastProfileId = nil }
        }
    }

    private func change(_ body: (inout Contents) -> Void) throws {
        lock.lock(); defer { lock.unlock() }
        var next = contents
        body(&next)
        try JSONEncoder().encode(next).write(to: url, options: .atomic)
        contents = next
    }
}
