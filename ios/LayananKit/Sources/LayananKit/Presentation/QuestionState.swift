import Foundation
import Layanan

/// One question as the form screen draws it: the core's question (label, hint,
/// choices with `selected`, `spoken` for the screen reader) and the error to show
/// under it, whether the engine's (a broken rule) or a refused value's.
public struct QuestionState: Identifiable {
    public let question: FormQuestion
    /// The error under the question, nil when none.
    public let error: String?
    /// What a screen reader says as the hint: the error first, else the core's hint.
    public let spokenHint: String?

    init(_ question: FormQuestion, localError: String?, strings: Strings) {
        self.question = question
        if let localError {
            error = localError
            spokenHint = "\(strings.errorPrefix) \(localError)"
        } else {
            error = question.error
            spokenHint = question.spoken.hint
        }
    }

    public var id: String { question.path }
    public var path: String { question.path }
    public var label: String { question.label }
    public var hint: String? { question.hint }
    public var value: String { question.value }
    public var required: Bool { question.required }
    public var readonly: Bool { question.readonly }
    public var kind: QuestionKind { question.kind }
    public var choices: [FormChoice] { question.choices }
    /// A photo or file question: the screen offers the camera and the library.
    public var takesFile: Bool { question.kind == .upload }
    /// The screen reader's label (name, role, required) from the core.
    public var spokenLabel: String { question.spoken.label }
    /// The screen reader's value ("belum dijawab", the chosen labels) from the core.
    public var spokenValue: String? { question.spoken.value }
}
