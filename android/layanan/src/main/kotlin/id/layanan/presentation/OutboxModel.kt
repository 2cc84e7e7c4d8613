package id.layanan.presentation

import id.layanan.core.OutboxItem
import id.layanan.core.OutboxState
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.launchIn
import kotlinx.coroutines.flow.onEach

/** One outbox item as drawn: its state in words (the core's), never by colour alone. */
data class OutboxRow(
    val instanceId: String,
    val formName: String,
    val state: OutboxState,
    /** "Terkirim", "Disetujui"... from the core (the agency's decision once there is one), in the app's language. */
    val statusTitle: String,
    val statusDetail: String,
    /** Why it failed or is wedged, from the core, in the app's language. */
    val reason: String?,
    /** What the citizen can do, when it did not go. */
    val action: String?,
    val canRetry: Boolean,
    val attempts: Int,
    val hasReceipt: Boolean,
)

data class OutboxScreenState(
    val strings: Strings,
    val rows: List<OutboxRow> = emptyList(),
    val syncing: Boolean = false,
    val message: String? = null,
) {
    val empty: String? get() = if (rows.isEmpty()) strings[Msg.OUTBOX_EMPTY] else null
}

/**
 * The outbox: every item live from the profile's subscription (each state it
 * passes through), wedged items with the core's reason and what the citizen can do,
 * "try again" for those the citizen may retry.
 */
class OutboxModel(
    private val app: LayananApp,
    private val session: Session,
    scope: CoroutineScope,
) : ScreenModel<OutboxScreenState>(OutboxScreenState(Strings.of(app.language.value)), scope) {
    private var formNames: Map<String, String> = emptyMap()

    init {
        combine(app.language, session.updates.outbox) { l, items -> l to items }
            .onEach { (l, items) -> set { it.copy(strings = Strings.of(l), rows = items.map { i -> row(i, l) }) } }
            .launchIn(scope)
    }

    /** Reads the form names (call when the screen shows). */
    fun load() = intent {
        formNames = session.profile.forms().list().associate { it.formId to it.name }
        val l = app.language.value
        set { it.copy(rows = session.updates.outbox.value.map { i -> row(i, l) }) }
    }

    /** "Try again" on a failed or wedged item: back in the queue, then a run. */
    fun retry(instanceId: String) = intent {
        val l = app.language.value
        catching({ e -> set { it.copy(syncing = false, message = e.userMessage(l)) } }) {
            session.profile.outbox().requeue(instanceId)
            run(l)
        }
    }

    /** "Send now". */
    fun sendNow() = intent {
        val l = app.language.value
        catching({ e -> set { it.copy(syncing = false, message = e.userMessage(l)) } }) { run(l) }
    }

    private suspend fun run(l: Language) {
        set { it.copy(syncing = true, message = null) }
        val report = session.sync.syncNow(FOREGROUND_SYNC_SECS, null).report()
        set { it.copy(syncing = false, message = report.summary(Strings.of(l))) }
    }

    fun openTimeline(navigator: Navigator, instanceId: String) = intent { navigator.go(Route.Status(instanceId)) }

    private fun row(i: OutboxItem, l: Language): OutboxRow {
        val s = Strings.of(l)
        val action = i.error?.takeIf { i.state == OutboxState.WEDGED || i.state == OutboxState.FAILED }?.let { actionFor(it.code) }
        return OutboxRow(
            instanceId = i.instanceId,
            formName = formNames[i.formId] ?: i.formId,
            state = i.state,
            statusTitle = i.status.title(l),
            statusDetail = i.status.detail(l),
            reason = i.error?.message(l),
            action = action?.let { s[it.msg] },
            canRetry = i.state == OutboxState.WEDGED && action?.canRetry == true || i.state == OutboxState.FAILED,
            attempts = i.attempts.toInt(),
            hasReceipt = i.receipt != null,
        )
    }
}
