import Foundation
import Layanan

/// The language the app speaks. Bahasa Indonesia is the default.
public enum AppLanguage: String, Codable, CaseIterable, Sendable {
    case indonesian = "id"
    case english = "en"

    /// The form language code the core takes (`FormSession.setLanguage("en")`).
    public var code: String { rawValue }

    /// The language's own name, shown in the picker in every language.
    public var name: String {
        switch self {
        case .indonesian: return "Bahasa Indonesia"
        case .english: return "English"
        }
    }

    /// Picks the Indonesian or the English of a pair the core gives.
    public func pick(_ id: String, _ en: String) -> String {
        self == .indonesian ? id : en
    }
}

extension StatusText {
    /// The short status ("Terkirim") in `language`.
    public func title(_ language: AppLanguage) -> String { language.pick(title, titleEn) }
    /// What it means or what to do, in `language`.
    public func detail(_ language: AppLanguage) -> String { language.pick(detail, detailEn) }
}
