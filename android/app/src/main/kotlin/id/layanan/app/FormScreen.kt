package id.layanan.app

import android.net.Uri
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Checkbox
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.unit.dp
import androidx.core.content.FileProvider
import id.layanan.core.QuestionKind
import id.layanan.presentation.FormModel
import id.layanan.presentation.Msg
import id.layanan.presentation.QuestionUi
import java.io.File

@Composable
fun FormScreen(model: FormModel) {
    LaunchedEffect(Unit) { model.open() }
    DisposableEffect(Unit) { onDispose { model.close() } }
    val st by model.state.collectAsState()
    val s = st.strings
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        st.fatal?.let { ErrorText(it); return@Column }
        Text(st.formTitle)
        Text(st.progress)
        st.pageTitle?.let { Text(it) }
        st.questions.forEach { q -> Question(q, model) }
        ErrorText(st.pageError)
        Row {
            if (st.canGoBack) Action(s[Msg.BACK]) { model.back() }
            if (st.isLastPage) Action(s[Msg.FINISH]) { model.finalize() } else Action(s[Msg.NEXT]) { model.next() }
        }
        st.addRepeatLabel?.let { Action(it) { model.addRepeat() } }
        st.removeRepeatLabel?.let { Action(it) { model.removeRepeat() } }
        Text(s[Msg.FORM_SAVED])
    }
}

/** One question, drawn from its state; the screen reader reads the core's words. */
@Composable
private fun Question(q: QuestionUi, model: FormModel) {
    val spoken = Modifier.semantics {
        contentDescription = q.spoken.label
        (q.spoken.hint ?: q.spoken.value)?.let { stateDescription = it }
    }
    Column(spoken.padding(vertical = 8.dp)) {
        Text(q.label)
        q.hint?.let { Text(it) }
        when (q.kind) {
            QuestionKind.SELECT_ONE -> q.choices.forEach { c ->
                Row(Modifier.semantics { contentDescription = c.spoken.label }) {
                    RadioButton(selected = c.selected, onClick = { model.choose(q.path, c.value) }, enabled = !q.readonly); Text(c.label)
                }
            }
            QuestionKind.SELECT_MULTIPLE, QuestionKind.RANK -> q.choices.forEach { c ->
                Row(Modifier.semantics { contentDescription = c.spoken.label }) {
                    Checkbox(checked = c.selected, onCheckedChange = { model.choose(q.path, c.value) }, enabled = !q.readonly); Text(c.label)
                }
            }
            QuestionKind.UPLOAD -> PhotoButton(q, model)
            QuestionKind.TRIGGER -> Action("OK") { model.answer(q.path, "OK") }
            QuestionKind.INPUT, QuestionKind.RANGE ->
                OutlinedTextField(q.value, { model.answer(q.path, it) }, enabled = !q.readonly, isError = q.error != null)
        }
        ErrorText(q.error)
    }
}

@Composable
private fun PhotoButton(q: QuestionUi, model: FormModel) {
    val context = LocalContext.current
    val file = remember(q.path) { File(context.cacheDir, "photos/${q.path.hashCode()}.jpg").apply { parentFile?.mkdirs() } }
    val uri: Uri = remember(file) { FileProvider.getUriForFile(context, context.packageName + ".photos", file) }
    val camera = rememberLauncherForActivityResult(ActivityResultContracts.TakePicture()) { taken ->
        if (taken) model.attachPhoto(q.path, file.path, "image/jpeg")
    }
    if (q.value.isNotEmpty()) Text(q.value)
    Action(q.label) { camera.launch(uri) }
}
