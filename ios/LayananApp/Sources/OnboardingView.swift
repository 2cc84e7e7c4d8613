import LayananKit
import SwiftUI

struct OnboardingView: View {
    @Bindable var model: OnboardingModel

    var body: some View {
        let s = model.strings
        NavigationStack {
            Form {
                switch model.step {
                case .language:
                    Section(s.chooseLanguage) {
                        ForEach(AppLanguage.allCases, id: \.self) { language in
                            Button { model.choose(language) } label: {
                                Label(language.name, systemImage: model.language == language ? "checkmark.circle.fill" : "circle")
                            }
                            .accessibilityAddTraits(model.language == language ? .isSelected : [])
                        }
                    }
                    Button(s.next) { model.next() }
                case .name:
                    Section(header: Text(s.profileNameTitle), footer: Text(s.profileNameHint)) {
                        TextField(s.profileNameTitle, text: $model.label)
                    }
                    Button(s.next) { model.next() }
                    Button(s.back) { model.back() }
                case .protection:
                    Section(s.protectionTitle) {
                        ForEach(model.protections, id: \.self) { protection in
                            Button { model.choose(protection) } label: {
                                VStack(alignment: .leading) {
                                    Label(s.protectionName(protection),
                                          systemImage: model.protection == protection ? "checkmark.circle.fill" : "circle")
                                    Text(s.protectionDetail(protection)).font(.footnote)
                                }
                            }
                            .accessibilityAddTraits(model.protection == protection ? .isSelected : [])
                        }
                    }
                    if model.protection == .passphrase {
                        SecureField(s.protectionName(.passphrase), text: $model.passphrase)
                        SecureField(s.protectionName(.passphrase), text: $model.passphraseConfirmation)
                    }
                    Button(s.createProfile) { Task { await model.create() } }.disabled(model.busy)
                    Button(s.back) { model.back() }
                }
                if let message = model.message { Text(message).foregroundStyle(.red) }
            }
            .navigationTitle(s.welcome)
        }
    }
}
