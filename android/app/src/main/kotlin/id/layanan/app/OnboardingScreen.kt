package id.layanan.app

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.foundation.layout.Row
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import id.layanan.presentation.Language
import id.layanan.presentation.Msg
import id.layanan.presentation.OnboardingModel
import id.layanan.presentation.Protection

@Composable
fun OnboardingScreen(model: OnboardingModel) {
    val st by model.state.collectAsState()
    val s = st.strings
    Column(Modifier.padding(16.dp)) {
        Text(s[Msg.WELCOME_TITLE])
        Text(s[Msg.CHOOSE_LANGUAGE])
        Language.entries.forEach { l ->
            Row { RadioButton(selected = st.language == l, onClick = { model.chooseLanguage(l) }); Text(l.code) }
        }
        OutlinedTextField(st.name, model::setName, label = { Text(s[Msg.PROFILE_NAME]) }, supportingText = { Text(s[Msg.PROFILE_NAME_HINT]) })
        Text(s[Msg.CHOOSE_PROTECTION])
        st.protections.forEach { p ->
            val label = when (p) {
                Protection.DEVICE -> s[Msg.PROTECTION_DEVICE]
                Protection.BIOMETRIC -> s[Msg.PROTECTION_BIOMETRIC]
                Protection.PIN -> s[Msg.PROTECTION_PIN]
            }
            Row { RadioButton(selected = st.protection == p, onClick = { model.chooseProtection(p) }); Text(label) }
        }
        if (st.pinNeeded) {
            OutlinedTextField(
                st.pin, model::setPin, label = { Text(s[Msg.ENTER_PIN]) },
                supportingText = { Text(s[Msg.PROTECTION_PIN_HINT]) },
                visualTransformation = PasswordVisualTransformation(),
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
            )
        }
        ErrorText(st.error)
        Action(if (st.creating) s[Msg.CREATING_PROFILE] else s[Msg.CREATE_PROFILE], enabled = !st.creating) { model.create() }
    }
}
