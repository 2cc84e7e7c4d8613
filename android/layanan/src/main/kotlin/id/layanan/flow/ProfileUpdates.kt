package id.layanan.flow

import id.layanan.core.OutboxItem
import id.layanan.core.Profile
import id.layanan.core.ProfileListener
import id.layanan.core.StatusEvent
import id.layanan.core.SyncEvent
import id.layanan.core.TaskHandle
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asSharedFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/**
 * A profile's live state as Kotlin flows, fed by the core's [ProfileListener] (one
 * registration per profile, no polling). Screens collect [outbox], [notifications],
 * [timelines] and [sync]; [close] stops the updates.
 *
 * Every outbox snapshot the core sends is kept in [outboxHistory]'s replay as well as
 * in [outbox], because a `StateFlow` conflates: a screen only needs the latest list,
 * while an item's journey (queued, sending, sent) can pass faster than a collector.
 */
class ProfileUpdates private constructor() : ProfileListener, AutoCloseable {
    private val outboxState = MutableStateFlow<List<OutboxItem>>(emptyList())
    private val outboxEvents = MutableSharedFlow<List<OutboxItem>>(
        replay = HISTORY, onBufferOverflow = BufferOverflow.DROP_OLDEST,
    )
    private val notificationsState = MutableStateFlow<List<StatusEvent>>(emptyList())
    private val timelinesState = MutableStateFlow<Map<String, List<StatusEvent>>>(emptyMap())
    private val syncEvents = MutableSharedFlow<SyncEvent>(
        replay = HISTORY, onBufferOverflow = BufferOverflow.DROP_OLDEST,
    )
    private var handle: TaskHandle? = null

    /** The whole outbox, oldest first. */
    val outbox: StateFlow<List<OutboxItem>> = outboxState.asStateFlow()

    /** Every outbox snapshot in the order the core committed them (last [HISTORY] replayed). */
    val outboxHistory: SharedFlow<List<OutboxItem>> = outboxEvents.asSharedFlow()

    /** Status changes the app has not shown as notifications yet. */
    val notifications: StateFlow<List<StatusEvent>> = notificationsState.asStateFlow()

    /** Each submission's timeline, by instance id, for the submissions that changed. */
    val timelines: StateFlow<Map<String, List<StatusEvent>>> = timelinesState.asStateFlow()

    /** Progress of every sync run of this profile (a background job's too). */
    val sync: SharedFlow<SyncEvent> = syncEvents.asSharedFlow()

    override fun onOutbox(items: List<OutboxItem>) {
        outboxState.value = items
        outboxEvents.tryEmit(items)
    }

    override fun onTimeline(instanceId: String, events: List<StatusEvent>) {
        timelinesState.update { it + (instanceId to events) }
    }

    override fun onNotifications(pending: List<StatusEvent>) {
        notificationsState.value = pending
    }

    override fun onSync(event: SyncEvent) {
        syncEvents.tryEmit(event)
    }

    /** Stops the updates; the flows keep their last values. */
    override fun close() {
        handle?.cancel()
        handle = null
    }

    companion object {
        /** Snapshots and sync events kept for late collectors. */
        const val HISTORY = 256

        /** Subscribes to [profile]; the outbox and notifications are current on return. */
        suspend fun of(profile: Profile): ProfileUpdates {
            val updates = ProfileUpdates()
            updates.handle = profile.subscribe(updates)
            return updates
        }
    }
}
