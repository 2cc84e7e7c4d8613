import LayananKit
import SwiftUI

struct HomeView: View {
    let model: HomeModel
    @State private var form: FormModel?

    var body: some View {
        let s = model.strings
        NavigationStack {
            List {
                Section {
                    ForEach(model.badges, id: \.text) { Text($0.text) }
                    if let unread = model.unreadText {
                        NavigationLink(unread) { NotificationsView(model: model.notifications()) }
                    }
                    NavigationLink(s.outboxTitle) { OutboxView(model: model.outbox()) }
                }
                Section(s.homeFormsTitle) {
                    if model.forms.isEmpty { Text(s.noForms) }
                    ForEach(model.forms) { row in
                        Button(row.name) { Task { form = await model.startForm(row.id) } }
                    }
                }
                if !model.drafts.isEmpty {
                    Section(s.homeDraftsTitle) {
                        ForEach(model.drafts) { row in
                            Button { Task { form = await model.resumeDraft(row.id) } } label: {
                                VStack(alignment: .leading) { Text(row.formName); Text(row.saved).font(.footnote) }
                            }
                        }
                    }
                }
                if let message = model.message { Text(message) }
            }
            .refreshable { await model.refresh() }
            .navigationTitle(model.title)
            .toolbar {
                NavigationLink(s.settingsTitle) { SettingsView(model: model.settings()) }
                Button(s.lock) { Task { await model.lock() } }
            }
            .navigationDestination(item: $form) { FormView(model: $0) }
            .task { await model.refresh() }
        }
    }
}

extension FormModel: Hashable {
    nonisolated public static func == (a: FormModel, b: FormModel) -> Bool { a === b }
    nonisolated public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
