package id.layanan.app

import android.os.Bundle
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.produceState
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.viewmodel.compose.viewModel
import id.layanan.presentation.FormModel
import id.layanan.presentation.HomeModel
import id.layanan.presentation.Navigator
import id.layanan.presentation.OnboardingModel
import id.layanan.presentation.OutboxModel
import id.layanan.presentation.Route
import id.layanan.presentation.SettingsModel
import id.layanan.presentation.StatusModel
import id.layanan.presentation.UnlockModel

/** One activity; the presentation layer's [Navigator] says which screen shows. */
class MainActivity : FragmentActivity() {
    private val host get() = application as LayananApplication

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        host.authenticator.activity = this
        setContent { MaterialTheme { App() } }
    }

    override fun onDestroy() {
        if (host.authenticator.activity === this) host.authenticator.activity = null
        super.onDestroy()
    }

    @Composable
    private fun App() {
        val app = host.layanan
        val navigator by produceState<Navigator?>(null) { value = Navigator.start(app) }
        val nav = navigator ?: return
        val route by nav.route.collectAsState()
        BackHandler(enabled = route != Route.Home && route != Route.Unlock && route != Route.Onboarding) { nav.back() }
        val session by app.session.collectAsState()
        when (val r = route) {
            Route.Onboarding -> OnboardingScreen(held { OnboardingModel(app, nav, it) })
            Route.Unlock -> UnlockScreen(held { UnlockModel(app, nav, it) })
            Route.Home -> session?.let { s -> HomeScreen(held(s.profileId) { HomeModel(app, s, nav, it) }) }
            is Route.Form -> session?.let { s -> FormScreen(held("${r.formId}/${r.draftId}") { FormModel(app, s, nav, r, it) }) }
            Route.Outbox -> session?.let { s -> OutboxScreen(held(s.profileId) { OutboxModel(app, s, it) }, nav) }
            is Route.Status -> session?.let { s -> StatusScreen(held(s.profileId) { StatusModel(app, s, it) }, r.instanceId) }
            Route.Settings -> session?.let { s -> SettingsScreen(held(s.profileId) { SettingsModel(app, s, nav, it) }) }
        }
    }

    companion object {
        const val EXTRA_INSTANCE = "instanceId"
    }
}

/** The screen model for this route, kept by a [ModelHolder] ViewModel. */
@Composable
private inline fun <reified M : Any> held(key: String = "", crossinline create: (kotlinx.coroutines.CoroutineScope) -> M): M =
    viewModel(key = M::class.java.name + key) { ModelHolder { create(it) } }.model
