import Foundation
import Layanan
import Observation

/// What the citizen can do about an item the agency refused (or that needs them).
/// Decided from the typed code; exhaustive, so a new server code is a compile error.
public enum WedgedAction: Equatable, Sendable {
    case waitAndResend, signIn, makeFilesSmaller, retakePhoto, formWithdrawn, fixAnswers, contactSupport

    public init(_ code: OutboxErrorCode) {
        switch code {
        case .network, .badAnswer, .captivePortal, .incomplete: self = .waitAndResend
        case .receiptInvalid, .http: self = .contactSupport
        case .attachmentDamaged: self = .retakePhoto
        case .server(let code):
            switch code {
            case .unknownForm: self = .formWithdrawn
            case .payloadTooLarge: self = .makeFilesSmaller
            case .invalidSubmission: self = .fixAnswers
            case .unauthorized, .tokenExpired, .refreshTokenReused, .challengeExpired: self = .signIn
            case .rateLimited, .serviceUnavailable, .internal: self = .waitAndResend
            case .instanceIdConflict, .attachmentConflict, .badRequest, .forbidden, .notFound,
                 .methodNotAllowed, .unsupportedMediaType, .invalidPhone, .invalidCode,
                 .uploadOffsetMismatch, .checksumMismatch, .uploadIncomplete, .invalidTransition, .unknown:
                self = .contactSupport
            }
        }
    }
}

/// One outbox line: the form, its status in words (from the core), and for an item
/// that needs the citizen, the reason and what to do.
public struct OutboxRow: Identifiable {
    public struct Attention {
        /// Why, as the core worded it.
        public let reason: String
        public let action: WedgedAction
        /// What to do, in the app's words.
        public let advice: String
    }

    public let item: OutboxItem
    public let formName: String
    public let status: String
    public let detail: String
    public let attention: Attention?
    /// 0...1 while uploading.
    public let progress: Double?
    public let progressText: String?
    /// Everything a screen reader says for the row, status in words.
    public let spoken: String

    public var id: String { item.instanceId }
    public var state: OutboxState { item.state }
    /// A failed or refused item can be put back in the queue by hand.
    public var canRetry: Bool { item.state == .wedged || item.state == .failed }
}

/// The outbox: every application and where it stands, live; "send now" and "try
/// again" for an item that needs the citizen.
@MainActor
@Observable
public final class OutboxModel {
    public let session: ProfileSession
    public private(set) var message: String?

    init(session: ProfileSession) { self.session = session }

    public var strings: Strings { session.strings }
    public var syncing: Bool { session.syncing }

    public var rows: [OutboxRow] {
        let lang = session.language
        return session.outbox.map { item in
            let attention = item.state == .wedged ? item.error.map { error -> OutboxRow.Attention in
                let action = WedgedAction(error.code)
                return .init(reason: lang.pick(error.message, error.messageEn), action: action,
                             advice: strings.advice(action))
            } : nil
            let progress = session.uploads[item.instanceId]
            let progressText = progress.map { strings.uploading(Int(($0 * 100).rounded())) }
            let name = session.formName(item.formId)
            let status = item.status.title(lang)
            let detail = item.status.detail(lang)
            let spoken = [name, status, progressText, detail, attention?.advice].compactMap { $0 }.joined(separator: ". ")
            return OutboxRow(item: item, formName: name, status: status, detail: detail, attention: attention,
                             progress: progress, progressText: progressText, spoken: spoken)
        }
    }

    /// Sends now; the rows follow live. Leaves a message when the run stopped early.
    public func sendNow() async {
        message = nil
        do {
            let report = try await session.sendNow()
            message = report.stopped.map(strings.stopped) ?? strings.lastRun(sent: report.sent, remaining: report.remaining)
        } catch {
            message = strings.message(error)
        }
    }

    /// "Try again" on a refused or failed item: back in the queue, then send.
    public func retry(_ instanceId: String) async {
        do {
            try await session.profile.outbox().requeue(instanceId: instanceId)
        } catch {
            message = strings.message(error)
            return
        }
        await sendNow()
    }

    public func timeline(_ instanceId: String) -> TimelineModel { TimelineModel(session: session, instanceId: instanceId) }
}
