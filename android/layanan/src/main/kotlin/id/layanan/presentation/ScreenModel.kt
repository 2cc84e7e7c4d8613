package id.layanan.presentation

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/**
 * The shape of every screen model: one [state] the view renders, and intents (plain
 * methods) that the view calls. Intents run in [scope] (an androidx ViewModel's
 * `viewModelScope` on Android) one at a time, strictly in the order they were
 * called, so two quick taps never interleave or reorder their calls into the core.
 * Each intent returns a [Job] that completes when it has run; views ignore it,
 * tests join it.
 */
abstract class ScreenModel<S>(initial: S, protected val scope: CoroutineScope) {
    private val mutableState = MutableStateFlow(initial)
    private val queue = Channel<Pair<suspend () -> Unit, CompletableDeferred<Unit>>>(Channel.UNLIMITED)

    val state: StateFlow<S> = mutableState.asStateFlow()

    protected val current: S get() = mutableState.value

    init {
        scope.launch {
            for ((block, done) in queue) {
                try {
                    block()
                    done.complete(Unit)
                } catch (e: CancellationException) {
                    done.cancel(e)
                    throw e
                } catch (e: Throwable) {
                    // Intents catch what the citizen can be told; anything else is a bug
                    // that must not stop the screen from taking the next intent.
                    done.completeExceptionally(e)
                }
            }
        }
    }

    protected fun set(transform: (S) -> S) = mutableState.update(transform)

    protected fun intent(block: suspend () -> Unit): Job = CompletableDeferred<Unit>().also { queue.trySend(block to it) }
}
