package id.layanan.app

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import id.layanan.presentation.Msg
import id.layanan.presentation.UnlockModel
import id.layanan.presentation.UnlockPhase

@Composable
fun UnlockScreen(model: UnlockModel) {
    LaunchedEffect(Unit) { model.load() }
    val st by model.state.collectAsState()
    val s = st.strings
    Column(Modifier.padding(16.dp)) {
        Text(s[Msg.UNLOCK_TITLE])
        st.profiles.forEach { p ->
            Row { RadioButton(selected = st.selected == p, onClick = { model.select(p.id) }); Text(p.label) }
        }
        if (st.pinNeeded) {
            OutlinedTextField(
                st.pin, model::setPin, label = { Text(s[Msg.ENTER_PIN]) },
                visualTransformation = PasswordVisualTransformation(),
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
            )
        }
        st.progress?.let { Text(it) }
        ErrorText(st.error)
        Action(s[Msg.UNLOCK], enabled = st.selected != null && st.phase == UnlockPhase.IDLE) { model.unlock() }
        if (st.offerRemoval) Action(s[Msg.REMOVE_PROFILE]) { model.removeSelected() }
        Action(s[Msg.NEW_PROFILE]) { model.newProfile() }
    }
}
