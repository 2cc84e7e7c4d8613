package id.layanan.presentation

import id.layanan.core.OutboxItem
import id.layanan.core.OutboxState
import id.layanan.core.StatusEvent
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.launchIn
import kotlinx.coroutines.flow.onEach

/** A form kept on the phone, startable offline. */
data class ServiceRow(val formId: String, val name: String)

/** A draft to continue. */
data class DraftRow(val draftId: String, val formId: String, val formName: String, val updatedAtMs: Long)

/** The counts on the home screen's badges, each with its words (never a colour alone). */
data class Badges(
    val waiting: Int,
    val needsYou: Int,
    val unread: Int,
    val waitingText: String?,
    val needsYouText: String?,
    val unreadText: String?,
)

data class HomeState(
    val strings: Strings,
    val profileLabel: String,
    val services: List<ServiceRow> = emptyList(),
    val drafts: List<DraftRow> = emptyList(),
    val badges: Badges = Badges(0, 0, 0, null, null, null),
    val syncing: Boolean = false,
    /** How the last "send now" ended, or why it could not start. */
    val message: String? = null,
)

/**
 * The home screen: the services (forms kept offline), drafts to continue, and live
 * badges for the outbox and the unread notifications, fed by the profile's
 * subscription ([id.layanan.flow.ProfileUpdates]) without polling.
 */
class HomeModel(
    private val app: LayananApp,
    private val session: Session,
    private val navigator: Navigator,
    scope: CoroutineScope,
) : ScreenModel<HomeState>(HomeState(Strings.of(app.language.value), session.label), scope) {
    init {
        combine(app.language, session.updates.outbox, session.updates.notifications) { l, items, unread ->
            Triple(l, items, unread)
        }.onEach { (l, items, unread) ->
            set { it.copy(strings = Strings.of(l), badges = badges(Strings.of(l), items, unread)) }
        }.launchIn(scope)
    }

    /** Reads the services and drafts (call when the screen shows). */
    fun load() = intent { reload() }

    private suspend fun reload() {
        val forms = session.profile.forms().list()
        val names = forms.associate { it.formId to it.name }
        val drafts = session.profile.drafts().list().map {
            DraftRow(it.id, it.formId, names[it.formId] ?: it.formId, it.updatedAtMs)
        }
        set { it.copy(services = forms.map { f -> ServiceRow(f.formId, f.name) }, drafts = drafts) }
    }

    /** "Send and refresh now": new forms from the agency, then the outbox and the status feed. */
    fun syncNow() = intent {
        set { it.copy(syncing = true, message = null) }
        val lang = app.language.value
        catching({ e -> set { it.copy(syncing = false, message = e.userMessage(lang)) } }) {
            catching({ /* offline: the forms kept stay as they are */ }) { session.sync.updateForms() }
            val report = session.sync.syncNow(FOREGROUND_SYNC_SECS, null).report()
            reload()
            set { it.copy(syncing = false, message = report.summary(Strings.of(lang))) }
        }
    }

    fun startForm(formId: String) = intent { navigator.go(Route.Form(formId = formId)) }
    fun continueDraft(draftId: String) = intent { navigator.go(Route.Form(draftId = draftId)) }
    fun openOutbox() = intent { navigator.go(Route.Outbox) }
    fun openNotifications() = intent { navigator.go(Route.Status()) }
    fun openSettings() = intent { navigator.go(Route.Settings) }

    private fun badges(s: Strings, items: List<OutboxItem>, unread: List<StatusEvent>): Badges {
        val waiting = items.count { it.state == OutboxState.QUEUED || it.state == OutboxState.SENDING || it.state == OutboxState.FAILED }
        val needsYou = items.count { it.state == OutboxState.WEDGED }
        return Badges(
            waiting = waiting,
            needsYou = needsYou,
            unread = unread.size,
            waitingText = if (waiting > 0) s.format(Msg.BADGE_WAITING, waiting) else null,
            needsYouText = if (needsYou > 0) s.format(Msg.BADGE_NEEDS_YOU, needsYou) else null,
            unreadText = if (unread.isNotEmpty()) s.format(Msg.BADGE_UNREAD, unread.size) else null,
        )
    }
}
