import LayananKit
import PhotosUI
import SwiftUI

struct FormView: View {
    let model: FormModel

    var body: some View {
        let s = model.strings
        Form {
            if let title = model.pageTitle { Text(title).font(.headline) }
            ForEach(model.questions) { QuestionView(model: model, question: $0) }
            if let banner = model.banner { Text(banner) }
            Section {
                if model.repeatPath != nil {
                    Button(s.addRepeat) { Task { await model.addRepeat() } }
                    Button(s.removeRepeat, role: .destructive) { Task { await model.removeRepeat() } }
                }
                if model.canGoBack { Button(s.previous) { Task { await model.previous() } } }
                if model.isLastPage {
                    Button(s.finalize) { Task { await model.finalize() } }
                } else {
                    Button(s.next) { Task { await model.next() } }
                }
            } footer: {
                Text(s.savedAutomatically)
            }
        }
        .disabled(model.busy || model.isFinalized)
        .navigationTitle(model.title)
        .toolbar { Text(model.pageLabel) }
    }
}

/// One question. The accessibility texts are the core's; a choice's mark is a symbol.
struct QuestionView: View {
    let model: FormModel
    let question: QuestionState
    @State private var text = ""
    @State private var photo: PhotosPickerItem?

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            Text(question.label).font(.headline)
            if let hint = question.hint { Text(hint).font(.footnote) }
            switch question.kind {
            case .selectOne, .selectMultiple, .rank:
                ForEach(question.choices, id: \.value) { choice in
                    Button { Task { await model.choose(question.path, choice.value) } } label: {
                        Label(choice.label, systemImage: choice.selected ? "checkmark.square.fill" : "square")
                    }
                    .accessibilityLabel(choice.spoken.label)
                    .accessibilityValue(choice.spoken.value ?? "")
                    .accessibilityAddTraits(choice.selected ? .isSelected : [])
                }
            case .upload:
                PhotosPicker(question.value.isEmpty ? model.strings.attachPhoto : model.strings.replacePhoto,
                             selection: $photo, matching: .images)
                if !question.value.isEmpty { Label(question.value, systemImage: "photo") }
            case .input, .trigger, .range:
                TextField(question.label, text: $text)
                    .onSubmit { Task { await model.answer(question.path, text) } }
                    .disabled(question.readonly)
            }
            if let error = question.error {
                Label(error, systemImage: "exclamationmark.triangle").font(.footnote)
            }
        }
        .accessibilityElement(children: .contain)
        .accessibilityLabel(question.spokenLabel)
        .accessibilityHint(question.spokenHint ?? "")
        .accessibilityValue(question.spokenValue ?? "")
        .onAppear { text = question.value }
        .onChange(of: question.value) { _, value in text = value }
        .onChange(of: photo) { _, item in
            guard let item else { return }
            Task {
                guard let data = try? await item.loadTransferable(type: Data.self) else { return }
                let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".jpg")
                guard (try? data.write(to: file, options: .completeFileProtection)) != nil else { return }
                await model.attachPhoto(question.path, file: file)
            }
        }
    }
}
