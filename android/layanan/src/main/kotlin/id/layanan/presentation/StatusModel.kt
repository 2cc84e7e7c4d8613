package id.layanan.presentation

import id.layanan.core.StatusEvent
import id.layanan.core.SubmissionState
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.launchIn
import kotlinx.coroutines.flow.onEach

/** One step of a timeline, or one notification, in words. */
data class StatusRow(
    val eventId: Long,
    val instanceId: String,
    val state: SubmissionState,
    val title: String,
    val detail: String,
    /** "Catatan petugas: ..." when the officer wrote one. */
    val note: String?,
    val atMs: Long,
)

data class StatusScreenState(
    val strings: Strings,
    /** Decisions not yet seen, newest last. */
    val notifications: List<StatusRow> = emptyList(),
    /** The chosen submission's timeline, oldest first. */
    val instanceId: String? = null,
    val timeline: List<StatusRow> = emptyList(),
) {
    val emptyNotifications: String? get() = if (notifications.isEmpty()) strings[Msg.NO_NOTIFICATIONS] else null
    val emptyTimeline: String? get() = if (instanceId != null && timeline.isEmpty()) strings[Msg.TIMELINE_EMPTY] else null
}

/**
 * What the agency did: the unread notifications (live) and one submission's
 * timeline (live once opened), with the officer's notes.
 */
class StatusModel(
    private val app: LayananApp,
    private val session: Session,
    scope: CoroutineScope,
) : ScreenModel<StatusScreenState>(StatusScreenState(Strings.of(app.language.value)), scope) {
    private var events: List<StatusEvent> = emptyList()

    init {
        combine(app.language, session.updates.notifications, session.updates.timelines) { l, pending, timelines ->
            Triple(l, pending, timelines)
        }.onEach { (l, pending, timelines) ->
            val id = current.instanceId
            if (id != null) timelines[id]?.let { events = it }
            set { it.copy(strings = Strings.of(l), notifications = pending.map { e -> e.row(l) }, timeline = events.map { e -> e.row(l) }) }
        }.launchIn(scope)
    }

    /** Shows the timeline of [instanceId]. */
    fun open(instanceId: String) = intent {
        events = session.profile.timeline().of(instanceId)
        val l = app.language.value
        set { it.copy(instanceId = instanceId, timeline = events.map { e -> e.row(l) }) }
    }

    /** The citizen has read the notifications on screen. */
    fun markAllRead() = intent {
        val ids = session.updates.notifications.value.map { it.id }
        if (ids.isNotEmpty()) session.profile.timeline().markNotified(ids)
    }
}

internal fun StatusEvent.row(l: Language): StatusRow = StatusRow(
    eventId = id,
    instanceId = instanceId,
    state = state,
    title = status.title(l),
    detail = status.detail(l),
    note = note?.let { Strings.of(l).format(Msg.NOTE_FROM_OFFICER, it) },
    atMs = atMs,
)
