package id.layanan.app

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import id.layanan.presentation.Msg
import id.layanan.presentation.Navigator
import id.layanan.presentation.OutboxModel

@Composable
fun OutboxScreen(model: OutboxModel, nav: Navigator) {
    LaunchedEffect(Unit) { model.load() }
    val st by model.state.collectAsState()
    val s = st.strings
    LazyColumn(Modifier.padding(16.dp)) {
        item {
            Action(if (st.syncing) s[Msg.SYNCING] else s[Msg.SYNC_NOW], enabled = !st.syncing) { model.sendNow() }
            st.message?.let { Text(it) }
            st.empty?.let { Text(it) }
        }
        items(st.rows) { r ->
            Column(Modifier.clickable { model.openTimeline(nav, r.instanceId) }.padding(vertical = 8.dp)) {
                Text(r.formName)
                StatusBadge(r.statusTitle, r.statusDetail)
                r.action?.let { Text(it) }
                if (r.canRetry) Action(s[Msg.RETRY]) { model.retry(r.instanceId) }
            }
        }
    }
}
