package id.layanan.app

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import id.layanan.presentation.Language
import id.layanan.presentation.Msg
import id.layanan.presentation.SettingsModel

@Composable
fun SettingsScreen(model: SettingsModel) {
    LaunchedEffect(Unit) { model.load() }
    val st by model.state.collectAsState()
    val s = st.strings
    Column(Modifier.padding(16.dp)) {
        Text(s[Msg.LANGUAGE])
        Language.entries.forEach { l ->
            Row { RadioButton(selected = st.language == l, onClick = { model.setLanguage(l) }); Text(l.code) }
        }
        Row {
            Text(s[Msg.WIFI_ONLY])
            Switch(checked = st.wifiOnly, onCheckedChange = { model.setWifiOnly(it) })
        }
        Text(s[Msg.WIFI_ONLY_HINT])
        Text(st.accountText)
        if (st.signedIn) {
            Action(s[Msg.SIGN_OUT]) { model.signOut() }
        } else if (st.codePrompt == null) {
            OutlinedTextField(st.phone, model::setPhone, label = { Text(s[Msg.PHONE_NUMBER]) })
            Action(s[Msg.SEND_CODE], enabled = !st.busy) { model.startSignIn() }
        } else {
            OutlinedTextField(st.code, model::setCode, label = { Text(st.codePrompt!!) })
            Action(s[Msg.SIGN_IN], enabled = !st.busy) { model.finishSignIn() }
        }
        ErrorText(st.error)
        val confirmation = st.removeConfirmation
        if (confirmation == null) {
            Action(s[Msg.REMOVE_PROFILE]) { model.askRemove() }
        } else {
            Text(confirmation)
            Action(s[Msg.CONFIRM]) { model.confirmRemove() }
            Action(s[Msg.CANCEL]) { model.cancelRemove() }
        }
    }
}
