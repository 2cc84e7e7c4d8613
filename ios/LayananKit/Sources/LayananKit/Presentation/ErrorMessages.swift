import Foundation
import Layanan

/// The sentence a screen shows for a core error, in the app's language. Where the core
/// wrote a message for the citizen (`userMessage`), it is shown as is; the switches are
/// exhaustive, so a new error case is a compile error here.
extension Strings {
    public func message(_ error: Error) -> String {
        switch error {
        case let e as FormsError: return message(e)
        case let e as StoreError: return message(e)
        case let e as SyncError: return message(e)
        default: return unexpected
        }
    }

    public func message(_ error: FormsError) -> String {
        switch error {
        case .InvalidValue(_, _, let id, let en), .Invalid(_, let id, let en),
             .MediaTypeRefused(_, _, let id, let en), .FileNameInUse(_, let id, let en),
             .MissingFile(_, let id, let en), .NotAnImage(_, let id, let en),
             .DamagedFile(_, let id, let en):
            return language.pick(id, en)
        case .FormMismatch: return formChanged
        case .FormNotOffline: return formNotOffline
        case .Finalized: return alreadyFinalized
        case .Locked: return locked
        case .Store(let failure): return message(failure)
        case .InvalidForm, .UnknownPath, .ReadOnly, .UnknownLanguage, .RepeatFixed,
             .NotAFileQuestion, .DraftNotFound, .InvalidInput, .Internal:
            return unexpected
        }
    }

    public func message(_ error: StoreError) -> String {
        switch error {
        case .WrongKey: return wrongKey
        case .KeyLost: return keyLost
        case .KeyUnavailable(let reason):
            return reason == KeychainKeyVault.cancelledReason ? promptCancelled : keyUnavailable
        case .Locked: return locked
        case .DiskFull: return diskFull
        case .Corrupt, .DatabaseDamaged, .SchemaTooNew: return damaged
        case .Damaged(_, let id, let en): return language.pick(id, en)
        case .WipePending: return wipePending
        case .NotFound, .InvalidInput, .Storage, .Internal: return unexpected
        }
    }

    public func message(_ error: SyncError) -> String {
        switch error {
        case .NotSignedIn: return notSignedIn
        case .Refused(_, _, let id, let en), .NotOpenRosa(_, let id, let en): return language.pick(id, en)
        case .Network: return noSignal
        case .Locked: return locked
        case .Store(let failure): return message(failure)
        case .InvalidInput, .Internal: return unexpected
        }
    }

    public func message(_ failure: StoreFailure) -> String {
        switch failure {
        case .keyUnavailable: return keyUnavailable
        case .keyLost: return keyLost
        case .diskFull: return diskFull
        case .corrupt, .databaseDamaged, .damaged, .storage: return damaged
        }
    }
}
