package id.layanan.presentation

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** The screens of the app. */
sealed class Route {
    object Onboarding : Route()
    object Unlock : Route()
    object Home : Route()
    /** Filling a form: a new one from [formId], or the draft [draftId]. */
    data class Form(val formId: String? = null, val draftId: String? = null) : Route()
    object Outbox : Route()
    /** The notifications, and the timeline of [instanceId] when one is chosen. */
    data class Status(val instanceId: String? = null) : Route()
    object Settings : Route()
}

/**
 * Where the app is. Screen models move it (a created profile goes home, a removed
 * one to the unlock screen); the Compose app only renders [route]. [back] follows
 * the stack the citizen came by.
 */
class Navigator(start: Route) {
    private val stack = ArrayDeque<Route>().apply { add(start) }
    private val routeState = MutableStateFlow(start)

    val route: StateFlow<Route> = routeState.asStateFlow()

    @Synchronized fun go(route: Route) {
        stack.addLast(route)
        routeState.value = route
    }

    /** Replaces the whole stack: after unlocking, after removing a profile. */
    @Synchronized fun reset(route: Route) {
        stack.clear()
        stack.addLast(route)
        routeState.value = route
    }

    /** Goes back; false when there is nothing to go back to (the app closes). */
    @Synchronized fun back(): Boolean {
        if (stack.size <= 1) return false
        stack.removeLast()
        routeState.value = stack.last()
        return true
    }

    companion object {
        /** The first screen: onboarding on a phone without profiles, else unlock. */
        suspend fun start(app: LayananApp): Navigator =
            Navigator(if (app.store().listProfiles().isEmpty()) Route.Onboarding else Route.Unlock)
    }
}
