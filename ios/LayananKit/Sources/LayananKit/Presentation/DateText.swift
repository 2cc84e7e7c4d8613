import Foundation

/// Dates as the citizen reads them: a medium date and a short time in the language's
/// locale (id_ID, en_GB), in the phone's time zone.
enum DateText {
    static func of(_ ms: Int64, _ language: AppLanguage) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == .indonesian ? "id_ID" : "en_GB")
        formatter.dateStyle = .medium
        formatter.timeStyle = .short
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
