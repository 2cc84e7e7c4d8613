package id.layanan.app

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
import id.layanan.presentation.StatusModel
import id.layanan.presentation.StatusRow

@Composable
fun StatusScreen(model: StatusModel, instanceId: String?) {
    LaunchedEffect(instanceId) { instanceId?.let(model::open) }
    val st by model.state.collectAsState()
    val s = st.strings
    LazyColumn(Modifier.padding(16.dp)) {
        item {
            Text(s[Msg.HOME_NOTIFICATIONS])
            st.emptyNotifications?.let { Text(it) }
        }
        items(st.notifications) { Row(it) }
        item { if (st.notifications.isNotEmpty()) Action(s[Msg.MARK_READ]) { model.markAllRead() } }
        item {
            if (st.instanceId != null) Text(s[Msg.TIMELINE_TITLE])
            st.emptyTimeline?.let { Text(it) }
        }
        items(st.timeline) { Row(it) }
    }
}

@Composable
private fun Row(r: StatusRow) {
    Column(Modifier.padding(vertical = 6.dp)) {
        StatusBadge(r.title, r.detail)
        r.note?.let { Text(it) }
    }
}
