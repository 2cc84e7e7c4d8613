import Foundation
import Layanan
import Observation

/// Filling one form, page by page. Every answer is saved into the sealed draft by the
/// core before the call returns, so the app may be killed at any time and
/// ``resume(session:draftId:)`` continues at the first question still to answer.
@MainActor
@Observable
public final class FormModel {
    public enum Phase {
        case filling
        /// In the outbox; the sync service sends it.
        case finalized(OutboxItem)
    }

    public private(set) var phase: Phase = .filling
    public private(set) var title = ""
    public private(set) var page: FormPage
    /// A message for the whole page ("some answers need attention").
    public private(set) var banner: String?
    public private(set) var busy = false
    public let draftId: String

    /// Errors the current page does not carry itself: refused values (nothing saved)
    /// and the messages of questions that block leaving the page.
    private var pending: [String: String] = [:]
    private let form: FormSession
    let session: ProfileSession

    private init(session: ProfileSession, form: FormSession, page: FormPage) {
        self.session = session
        self.form = form
        self.page = page
        draftId = form.draftId()
    }

    /// Starts the offline form `formId` in the app's language (the form's own default
    /// when it does not have that language).
    static func start(session: ProfileSession, formId: String) async throws -> FormModel {
        let offset = session.config.utcOffsetMinutes
        let form: FormSession
        do {
            form = try await FormSession.start(profile: session.profile, formId: formId,
                                               language: session.language.code, utcOffsetMinutes: offset)
        } catch FormsError.UnknownLanguage {
            form = try await FormSession.start(profile: session.profile, formId: formId,
                                               language: nil, utcOffsetMinutes: offset)
        }
        let model = FormModel(session: session, form: form, page: try await form.currentPage())
        try await model.opened()
        return model
    }

    /// Continues a draft (after the app was killed, or from the drafts list) at the
    /// first question that still needs an answer.
    static func resume(session: ProfileSession, draftId: String) async throws -> FormModel {
        let offset = session.config.utcOffsetMinutes
        let form: FormSession
        do {
            form = try await FormSession.resume(profile: session.profile, draftId: draftId,
                                                language: session.language.code, utcOffsetMinutes: offset)
        } catch FormsError.UnknownLanguage {
            form = try await FormSession.resume(profile: session.profile, draftId: draftId,
                                                language: nil, utcOffsetMinutes: offset)
        }
        let model = FormModel(session: session, form: form, page: try await form.currentPage())
        if let first = try await form.validate().first, let page = try? await form.jump(path: first.path) {
            model.page = page
        }
        try await model.opened()
        return model
    }

    private func opened() async throws {
        title = try await form.info().title
        session.openForm = self
        try await session.reloadLists()
    }

    public var strings: Strings { session.strings }
    public var questions: [QuestionState] {
        page.questions.map { QuestionState($0, localError: pending[$0.path], strings: strings) }
    }
    public var pageLabel: String { strings.pageOf(Int(page.index) + 1, Int(page.count)) }
    public var pageTitle: String? { page.title }
    public var canGoBack: Bool { page.index > 0 }
    public var isLastPage: Bool { page.count == 0 || page.index + 1 >= page.count }
    /// The repeat the page is in ("/data/member"), for "add another".
    public var repeatPath: String? {
        page.repeat.map { path in
            path.hasSuffix("]") ? String(path[..<(path.lastIndex(of: "[") ?? path.endIndex)]) : path
        }
    }
    public var isFinalized: Bool { if case .finalized = phase { return true } else { return false } }

    // MARK: intents

    /// Answers a question with ODK's text value. A value of the wrong type is refused
    /// and shown under the question; a value that breaks a rule is kept and the page
    /// shows the form's message.
    public func answer(_ path: String, _ value: String) async {
        await perform(clearing: path) { try await self.form.answer(path: path, value: value) }
    }

    /// Picks a choice: one question takes one choice, a multiple-choice question
    /// toggles it.
    public func choose(_ path: String, _ choice: String) async {
        guard let question = page.questions.first(where: { $0.path == path }) else { return }
        if question.kind == .selectMultiple {
            var values = question.value.split(separator: " ").map(String.init)
            if let i = values.firstIndex(of: choice) { values.remove(at: i) } else { values.append(choice) }
            await answer(path, values.joined(separator: " "))
        } else {
            await answer(path, choice)
        }
    }

    public func clear(_ path: String) async {
        await perform(clearing: path) { try await self.form.clear(path: path) }
    }

    /// Seals the photo at `file` into the store for the question at `path`, then
    /// deletes `file` (a camera's temporary copy must not stay unencrypted).
    public func attachPhoto(_ path: String, file: URL, fileName: String? = nil, mediaType: String = "image/jpeg") async {
        let fileName = fileName ?? Self.photoName(path)
        await perform(clearing: path) {
            let page = try await self.form.attachFile(path: path, fileName: fileName, mediaType: mediaType,
                                                      sourcePath: file.path)
            try? FileManager.default.removeItem(at: file)
            return page
        }
    }

    /// The file name a photo for `path` is submitted under: unique per question and
    /// repeat instance (`/data/member[2]/photo` gives `member-2-photo.jpg`).
    public static func photoName(_ path: String) -> String {
        let parts = path.split(separator: "/").dropFirst().map {
            $0.replacingOccurrences(of: "[", with: "-").replacingOccurrences(of: "]", with: "")
        }
        return (parts.isEmpty ? "foto" : parts.joined(separator: "-")) + ".jpg"
    }

    /// The next page, when this one's answers allow it.
    public func next() async {
        await perform { try await self.form.nextPage() }
    }

    public func previous() async {
        await perform { try await self.form.previousPage() }
    }

    /// Adds another instance of the page's repeat (another household member).
    public func addRepeat() async {
        guard let repeatPath else { return }
        await perform { try await self.form.addRepeat(repeatPath: repeatPath) }
    }

    /// Removes the repeat instance the page belongs to.
    public func removeRepeat() async {
        guard let instance = page.repeat else { return }
        await perform { try await self.form.removeRepeat(instancePath: instance) }
    }

    /// Checks everything and puts the application in the outbox; when answers are
    /// missing, shows the first page that needs one with its messages.
    @discardableResult
    public func finalize() async -> Bool {
        guard !busy else { return false }
        busy = true
        defer { busy = false }
        banner = nil
        do {
            let item = try await form.finalize()
            phase = .finalized(item)
            banner = strings.finalized
            session.openForm = nil
            try? await session.reloadLists()
            return true
        } catch let error as FormsError {
            await show(error)
            if case .Invalid(let paths, _, _) = error, let first = paths.first,
               let page = try? await form.jump(path: first) {
                self.page = page
            }
            return false
        } catch {
            banner = strings.message(error)
            return false
        }
    }

    /// The app's language changed: labels, hints, choices and messages follow when the
    /// form has that language.
    func follow(_ language: AppLanguage) async {
        do {
            page = try await form.setLanguage(language: language.code)
            try await refreshPending()
        } catch {
            // A form without that language keeps its own; the app's words still change.
        }
    }

    // MARK: plumbing

    private func perform(clearing path: String? = nil, _ body: @escaping () async throws -> FormPage) async {
        guard !busy, !isFinalized else { return }
        busy = true
        defer { busy = false }
        banner = nil
        do {
            page = try await body()
            if let path { pending[path] = nil }
        } catch let error as FormsError {
            await show(error)
        } catch {
            banner = strings.message(error)
        }
    }

    private func show(_ error: FormsError) async {
        switch error {
        case .InvalidValue(let path, _, _, _), .MediaTypeRefused(let path, _, _, _),
             .FileNameInUse(let path, _, _), .MissingFile(let path, _, _),
             .NotAnImage(let path, _, _), .DamagedFile(let path, _, _):
            pending[path] = strings.message(error)
        case .Invalid(let paths, _, _):
            banner = strings.message(error)
            let issues = (try? await form.validate()) ?? []
            for issue in issues where paths.contains(issue.path) { pending[issue.path] = issue.message }
        default:
            banner = strings.message(error)
        }
    }

    /// Re-reads the messages of the blocking questions in the new language.
    private func refreshPending() async throws {
        guard !pending.isEmpty else { return }
        let issues = try await form.validate()
        for issue in issues where pending[issue.path] != nil { pending[issue.path] = issue.message }
    }
}
