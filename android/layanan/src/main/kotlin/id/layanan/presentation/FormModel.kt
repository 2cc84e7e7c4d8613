package id.layanan.presentation

import id.layanan.core.FormPage
import id.layanan.core.FormSession
import id.layanan.core.FormsException
import id.layanan.core.QuestionKind
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.drop
import kotlinx.coroutines.flow.launchIn
import kotlinx.coroutines.flow.onEach

data class FormState(
    val strings: Strings,
    val loading: Boolean = true,
    val formTitle: String = "",
    val draftId: String? = null,
    /** "Halaman 2 dari 9" */
    val progress: String = "",
    val pageTitle: String? = null,
    val questions: List<QuestionUi> = emptyList(),
    val canGoBack: Boolean = false,
    val isLastPage: Boolean = false,
    /** Button text to add another instance of the page's repeat ("Tambah Anggota keluarga"). */
    val addRepeatLabel: String? = null,
    /** Button text to remove the page's repeat instance. */
    val removeRepeatLabel: String? = null,
    /** Why the page cannot be left or the form finished, in the app's language. */
    val pageError: String? = null,
    /** Set once the form is in the outbox. */
    val finalizedInstanceId: String? = null,
    /** A failure that leaves nothing to fill (the form is gone, the draft changed form). */
    val fatal: String? = null,
)

/**
 * Filling one form, page by page, through the core's [FormSession]: every answer is
 * saved into the sealed draft before the call returns, and the page shown is
 * remembered, so after the app is killed the citizen resumes on the same page.
 * Rule messages come from the form in its language; the app's language switch
 * switches the form's too.
 */
class FormModel(
    private val app: LayananApp,
    private val session: Session,
    private val navigator: Navigator,
    private val route: Route.Form,
    scope: CoroutineScope,
) : ScreenModel<FormState>(FormState(Strings.of(app.language.value)), scope) {
    private var form: FormSession? = null
    private var page: FormPage? = null
    /** What the citizen typed that the core refused as the wrong type, by path. */
    private val typed = mutableMapOf<String, String>()
    private val localErrors = mutableMapOf<String, String>()
    /** Messages for required answers still missing, shown after "Next" or "Finish". */
    private var issues: Map<String, String> = emptyMap()

    init {
        app.language.drop(1).onEach { switchLanguage(it) }.launchIn(scope)
    }

    private val language get() = app.language.value

    /** Starts the form or resumes the draft of [route]. */
    fun open() = intent {
        catching({ e -> set { it.copy(loading = false, fatal = e.userMessage(language)) } }) {
            val offset = app.config.utcOffsetMinutes()
            val opened = route.draftId?.let { id ->
                withLanguageFallback { lang -> FormSession.resume(session.profile, id, lang, offset) }
            } ?: withLanguageFallback { lang -> FormSession.start(session.profile, route.formId!!, lang, offset) }
            form = opened
            val info = opened.info()
            var first = opened.currentPage()
            app.preferences.get(PrefKeys.draftPosition(opened.draftId()))?.let { where ->
                first = catching({ first }) { opened.jump(where) }
            }
            set { it.copy(formTitle = info.title, draftId = opened.draftId()) }
            show(first)
        }
    }

    private suspend fun withLanguageFallback(open: suspend (String?) -> FormSession): FormSession =
        try {
            open(language.code)
        } catch (e: FormsException.UnknownLanguage) {
            open(null)
        }

    fun answer(path: String, value: String) = intent { apply(path, attempted = value) { it.answer(path, value) } }

    /** A tap on a choice: select-one answers it, select-multiple toggles it. */
    fun choose(path: String, choice: String) = intent {
        val q = current.questions.firstOrNull { it.path == path } ?: return@intent
        val value = if (q.kind == QuestionKind.SELECT_MULTIPLE) toggled(q.value, choice) else choice
        apply(path, attempted = null) { it.answer(path, value) }
    }

    fun clear(path: String) = edit(path) { it.clear(path) }

    /** Attaches the photo the camera wrote to [sourcePath]; the core seals it, the caller may delete its copy. */
    fun attachPhoto(path: String, sourcePath: String, mediaType: String) =
        edit(path) { it.attachFile(path, attachmentName(path, mediaType), mediaType, sourcePath) }

    /** Goes to the page of the question (or repeat instance) at [path], e.g. from a list of what to fix. */
    fun jump(path: String) = move { it.jump(path) }

    fun next() = move { it.nextPage() }
    fun back() = move { it.previousPage() }

    fun addRepeat() = move { f -> f.addRepeat(repeatOf(page?.repeat ?: return@move f.currentPage())) }
    fun removeRepeat() = move { f -> f.removeRepeat(page?.repeat ?: return@move f.currentPage()) }

    /** "Finish and send": checks the whole form; what is missing is shown on its page. */
    fun finalize() = intent {
        val f = form ?: return@intent
        catching({ e -> handle(e, f) }) {
            val item = f.finalize()
            app.preferences.set(PrefKeys.draftPosition(f.draftId()), null)
            set { it.copy(finalizedInstanceId = item.instanceId, pageError = null) }
            app.config.scheduler.schedule(session.profile.account().syncSettings().wifiOnly)
            navigator.reset(Route.Home)
            navigator.go(Route.Outbox)
        }
    }

    /** Leaving the screen: the draft is already saved; this frees the session. */
    fun close() = intent {
        form?.close()
        form = null
    }

    private fun edit(path: String, call: suspend (FormSession) -> FormPage) = intent { apply(path, null, call) }

    /** Runs one change; a value of the wrong type stays in its field ([attempted]) with the core's message. */
    private suspend fun apply(path: String, attempted: String?, call: suspend (FormSession) -> FormPage) {
        val f = form ?: return
        try {
            val updated = call(f)
            typed.remove(path); localErrors.remove(path)
            issues = issues - path
            show(updated, keepPageError = issues.isNotEmpty())
        } catch (e: FormsException.InvalidValue) {
            localErrors[e.path] = e.userMessage(language)
            if (attempted != null) typed[e.path] = attempted
            rerender()
        } catch (e: FormsException) {
            set { it.copy(pageError = e.userMessage(language)) }
        }
    }

    private fun move(call: suspend (FormSession) -> FormPage) = intent {
        val f = form ?: return@intent
        catching({ e -> handle(e, f) }) {
            issues = emptyMap()
            show(call(f))
        }
    }

    private suspend fun handle(e: Exception, f: FormSession) {
        if (e is FormsException.Invalid) {
            issues = f.validate().associate { it.path to it.message }
            // Show the first question to fix, on its page.
            e.paths.firstOrNull()?.let { first ->
                catching({}) { page = f.jump(first) }
            }
            page?.let { show(it, keepPageError = true) }
        }
        set { it.copy(pageError = e.userMessage(language)) }
    }

    private fun switchLanguage(l: Language) = intent {
        val f = form ?: run { set { it.copy(strings = Strings.of(l)) }; return@intent }
        val updated = catching({ f.currentPage() }) { f.setLanguage(l.code) }
        // The engine's messages for missing answers are in the old language: ask again.
        if (issues.isNotEmpty()) issues = f.validate().associate { it.path to it.message }.filterKeys(issues::containsKey)
        localErrors.clear(); typed.clear()
        show(updated, keepPageError = false)
    }

    private fun rerender() { page?.let { show(it, keepPageError = true) } }

    private fun show(p: FormPage, keepPageError: Boolean = false) {
        page = p
        val s = Strings.of(language)
        val f = form
        if (f != null) p.questions.firstOrNull()?.let { app.preferences.set(PrefKeys.draftPosition(f.draftId()), it.path) }
        val repeatName = p.title?.takeIf { p.repeat != null }
        set {
            it.copy(
                strings = s,
                loading = false,
                progress = if (p.count > 0u) s.format(Msg.PAGE_OF, p.index + 1u, p.count) else "",
                pageTitle = p.title,
                questions = p.questions.map { q -> q.toUi(typed[q.path], localErrors[q.path] ?: issues[q.path], s) },
                canGoBack = p.index > 0u,
                isLastPage = p.count == 0u || p.index + 1u >= p.count,
                addRepeatLabel = repeatName?.let { n -> s.format(Msg.ADD_REPEAT, n) },
                removeRepeatLabel = repeatName?.let { n -> s.format(Msg.REMOVE_REPEAT, n) },
                pageError = if (keepPageError) it.pageError else null,
            )
        }
    }
}
