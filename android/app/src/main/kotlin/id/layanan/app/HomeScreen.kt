package id.layanan.app

import androidx.compose.foundation.clickable
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import id.layanan.presentation.HomeModel
import id.layanan.presentation.Msg

@Composable
fun HomeScreen(model: HomeModel) {
    LaunchedEffect(Unit) { model.load() }
    val st by model.state.collectAsState()
    val s = st.strings
    LazyColumn(Modifier.padding(16.dp)) {
        item {
            Text(st.profileLabel)
            st.badges.waitingText?.let { StatusBadge(it, null) }
            st.badges.needsYouText?.let { StatusBadge(it, null) }
            st.badges.unreadText?.let { StatusBadge(it, null) }
            Action(if (st.syncing) s[Msg.SYNCING] else s[Msg.SYNC_NOW], enabled = !st.syncing) { model.syncNow() }
            st.message?.let { Text(it) }
            Text(s[Msg.HOME_SERVICES])
            if (st.services.isEmpty()) Text(s[Msg.HOME_NO_FORMS])
        }
        items(st.services) { f -> Text(f.name, Modifier.clickable { model.startForm(f.formId) }.padding(8.dp)) }
        item { if (st.drafts.isNotEmpty()) Text(s[Msg.HOME_DRAFTS]) }
        items(st.drafts) { d -> Text(d.formName, Modifier.clickable { model.continueDraft(d.draftId) }.padding(8.dp)) }
        item {
            Action(s[Msg.HOME_OUTBOX]) { model.openOutbox() }
            Action(s[Msg.HOME_NOTIFICATIONS]) { model.openNotifications() }
            Action(s[Msg.SETTINGS]) { model.openSettings() }
        }
    }
}
