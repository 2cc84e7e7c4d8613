import Foundation

/// The test server runs in development mode, which writes each one-time sign-in code
/// to its log; tests read the code there instead of from an SMS.
enum ServerLog {
    /// Every code in the log, oldest first.
    static func codes(_ path: String) -> [String] {
        let log = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        guard let regex = try? NSRegularExpression(pattern: "code=([0-9]{4,8})") else { return [] }
        return regex.matches(in: log, range: NSRange(log.startIndex..., in: log)).compactMap {
            Range($0.range(at: 1), in: log).map { String(log[$0]) }
        }
    }

    /// The code of the sign-in started after `seen` codes were in the log.
    static func newCode(_ path: String, after seen: Int) throws -> String {
        for _ in 0..<50 {
            let all = codes(path)
            if all.count > seen, let code = all.last { return code }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TestFailure(description: "no new one-time code in the server log")
    }
}
