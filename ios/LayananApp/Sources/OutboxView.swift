import LayananKit
import SwiftUI

struct OutboxView: View {
    let model: OutboxModel

    var body: some View {
        let s = model.strings
        List {
            if model.rows.isEmpty { Text(s.outboxEmpty) }
            ForEach(model.rows) { row in
                NavigationLink { TimelineView(model: model.timeline(row.id)) } label: {
                    VStack(alignment: .leading, spacing: 4) {
                        Text(row.formName).font(.headline)
                        Text(row.status).bold()
                        Text(row.detail).font(.footnote)
                        if let progress = row.progress { ProgressView(value: progress) }
                        if let attention = row.attention {
                            Text(attention.reason)
                            Text(attention.advice).font(.footnote)
                        }
                        if row.canRetry { Button(s.retry) { Task { await model.retry(row.id) } } }
                    }
                    .accessibilityElement(children: .combine)
                    .accessibilityLabel(row.spoken)
                }
            }
            if let message = model.message { Text(message) }
        }
        .navigationTitle(s.outboxTitle)
        .toolbar { Button(s.sendNow) { Task { await model.sendNow() } }.disabled(model.syncing) }
    }
}

struct TimelineView: View {
    let model: TimelineModel

    var body: some View {
        List(model.rows) { row in
            VStack(alignment: .leading, spacing: 4) {
                Text(row.title).bold()
                Text(row.date).font(.footnote)
                Text(row.detail)
                if let note = row.note { Text(note) }
            }
            .accessibilityElement(children: .combine)
            .accessibilityLabel(row.spoken)
        }
        .navigationTitle(model.title)
        .task { await model.load() }
    }
}

struct NotificationsView: View {
    let model: NotificationsModel
    @State private var timeline: TimelineModel?

    var body: some View {
        List {
            if model.items.isEmpty { Text(model.strings.noNotifications) }
            ForEach(model.items, id: \.eventId) { item in
                Button { Task { timeline = await model.open(item) } } label: {
                    VStack(alignment: .leading) { Text(item.title).bold(); Text(item.body) }
                }
            }
        }
        .navigationTitle(model.strings.notificationsTitle)
        .sheet(item: $timeline) { TimelineView(model: $0) }
    }
}

extension TimelineModel: Identifiable {}
