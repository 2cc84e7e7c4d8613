import LayananKit
import SwiftUI

struct SettingsView: View {
    @Bindable var model: SettingsModel
    @State private var confirmRemoval = false

    var body: some View {
        let s = model.strings
        Form {
            Picker(s.languageTitle, selection: Binding(get: { model.language },
                                                       set: { l in Task { await model.setLanguage(l) } })) {
                ForEach(model.languages, id: \.self) { Text($0.name).tag($0) }
            }
            Section(footer: Text(s.wifiOnlyDetail)) {
                Toggle(s.wifiOnly, isOn: Binding(get: { model.wifiOnly },
                                                 set: { on in Task { await model.setWifiOnly(on) } }))
            }
            Section(s.signIn) {
                Text(model.signInText)
                switch model.signIn {
                case .signedOut, .unknown:
                    TextField(s.phoneNumber, text: $model.phone).keyboardType(.phonePad)
                    Button(s.sendCode) { Task { await model.sendCode() } }
                case .codeSent:
                    TextField(s.signIn, text: $model.code).keyboardType(.numberPad).textContentType(.oneTimeCode)
                    Button(s.signIn) { Task { await model.confirmCode() } }
                case .signedIn:
                    Button(s.signOut) { Task { await model.signOut() } }
                }
            }
            Section(footer: Text(s.removeProfileWarning)) {
                Button(s.removeThisProfile, role: .destructive) { confirmRemoval = true }
            }
            if let message = model.message { Text(message) }
        }
        .disabled(model.busy)
        .navigationTitle(s.settingsTitle)
        .task { await model.load() }
        .confirmationDialog(s.removeProfileWarning, isPresented: $confirmRemoval) {
            Button(s.removeThisProfile, role: .destructive) { Task { await model.remove() } }
        }
    }
}
