package id.layanan.app

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.unit.dp

/** A status in words (title and detail); colour is never the only signal. */
@Composable
fun StatusBadge(title: String, detail: String?) {
    Column(Modifier.padding(vertical = 4.dp).semantics { contentDescription = title; detail?.let { stateDescription = it } }) {
        Text(title, style = MaterialTheme.typography.labelLarge)
        detail?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
    }
}

/** An error line under a field or a page, announced by screen readers. */
@Composable
fun ErrorText(text: String?) {
    text ?: return
    Text(text, color = MaterialTheme.colorScheme.error, modifier = Modifier.semantics { contentDescription = text })
}

@Composable
fun Action(text: String, enabled: Boolean = true, onClick: () -> Unit) {
    Button(onClick = onClick, enabled = enabled, modifier = Modifier.padding(vertical = 4.dp)) { Text(text) }
}
