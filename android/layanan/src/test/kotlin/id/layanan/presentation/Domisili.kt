package id.layanan.presentation

import java.io.File
import java.util.UUID

/** Fills the one-page domisili form through a [FormModel] and finishes it; returns the instance id. */
suspend fun fileDomisili(app: LayananApp, phone: Phone, nama: String, photoBytes: Int, formId: String = "domisili"): String {
    val nav = Navigator(Route.Home)
    val form = FormModel(app, app.session.value!!, nav, Route.Form(formId = formId), phone.scope)
    form.open().join()
    form.answer("/data/nama", nama)
    val photo = File(phone.dir, "foto-${UUID.randomUUID()}.jpg").apply {
        writeBytes(id.layanan.core.jpegStandIn(photoBytes))
    }
    form.attachPhoto("/data/foto_ktp", photo.path, "image/jpeg")
    form.finalize().join()
    photo.delete()
    form.close().join()
    return form.state.value.finalizedInstanceId ?: throw AssertionError("not finalized: ${form.state.value}")
}
