import LayananKit
import SwiftUI

struct UnlockView: View {
    @Bindable var model: UnlockModel

    var body: some View {
        let s = model.strings
        NavigationStack {
            Form {
                Picker(s.unlockTitle, selection: Binding(get: { model.selectedId ?? "" }, set: { model.select($0) })) {
                    ForEach(model.profiles) { Text($0.label).tag($0.id) }
                }
                if model.needsPassphrase {
                    SecureField(s.protectionName(.passphrase), text: $model.passphrase)
                }
                Button(model.unlockButton) { Task { await model.unlock() } }.disabled(model.busy)
                if let message = model.message { Text(message) }
                if model.offersRemoval {
                    Button(s.removeThisProfile, role: .destructive) { Task { await model.removeSelected() } }
                }
                Button(s.addProfile) { Task { await model.addProfile() } }
            }
            .navigationTitle(s.unlockTitle)
        }
    }
}
