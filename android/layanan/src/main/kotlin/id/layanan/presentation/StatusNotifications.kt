package id.layanan.presentation

/**
 * Turns the core's pending notifications into local notifications in the app's
 * language, shows them through the platform's [Notifier] and marks them shown, so
 * each decision is notified once (a background sync job calls this after its run).
 * Returns what it showed.
 */
suspend fun publishPendingNotifications(app: LayananApp, session: Session): List<LocalNotification> {
    val l = app.language.value
    val s = Strings.of(l)
    val pending = session.profile.timeline().pendingNotifications()
    if (pending.isEmpty()) return emptyList()
    val forms = session.profile.forms().list().associate { it.formId to it.name }
    val formOf = session.profile.outbox().list().associate { it.instanceId to (forms[it.formId] ?: it.formId) }
    val shown = pending.map { e ->
        val row = e.row(l)
        LocalNotification(
            id = e.id,
            instanceId = e.instanceId,
            title = s.format(Msg.NOTIFICATION_TITLE, formOf[e.instanceId] ?: row.title, row.title),
            text = row.note ?: row.detail,
        ).also(app.config.notifier::show)
    }
    session.profile.timeline().markNotified(pending.map { it.id })
    return shown
}
