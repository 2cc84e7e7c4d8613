package id.layanan.presentation

import java.io.File
import java.util.Properties

/**
 * The app's few plain settings that are needed before a profile is unlocked: the
 * app's language and how each profile is protected (so the unlock screen knows to
 * ask for a PIN or show the biometric prompt), plus where each draft was left.
 * Nothing personal: ids and enum names only. Personal data lives sealed in the core.
 */
interface Preferences {
    fun get(key: String): String?
    fun set(key: String, value: String?)
}

/**
 * [Preferences] in a properties file, written whole to a temporary file and renamed
 * (a kill mid-write leaves the old file). On Android the file sits in the app's
 * private files directory (`Context.getFilesDir()`).
 */
class FilePreferences(private val file: File) : Preferences {
    private val props = Properties().apply {
        if (file.exists()) file.inputStream().use { load(it) }
    }

    @Synchronized override fun get(key: String): String? = props.getProperty(key)

    @Synchronized override fun set(key: String, value: String?) {
        if (value == null) props.remove(key) else props.setProperty(key, value)
        file.parentFile?.mkdirs()
        val tmp = File(file.path + ".tmp")
        tmp.outputStream().use { out ->
            props.store(out, null)
            out.fd.sync()
        }
        if (!tmp.renameTo(file)) error("could not replace ${file.name}")
    }
}

/** The keys the presentation layer uses, in one place. */
internal object PrefKeys {
    const val LANGUAGE = "language"
    fun protection(profileId: String) = "profile.$profileId.protection"
    fun draftPosition(draftId: String) = "draft.$draftId.position"
}
