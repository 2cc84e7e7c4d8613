package id.layanan.presentation

/**
 * Every user-facing string of the app that the core does not supply, in Bahasa
 * Indonesia and English. The core supplies the rest in both languages: form labels
 * and rule messages (in the form's language), outbox and status words
 * (`StatusText`), error messages (`userMessage`/`userMessageEn`).
 *
 * Strings with `%s` take arguments through [Strings.format].
 */
enum class Msg(val id: String, val en: String) {
    // Onboarding
    WELCOME_TITLE("Selamat datang di Layanan", "Welcome to Layanan"),
    CHOOSE_LANGUAGE("Pilih bahasa", "Choose a language"),
    PROFILE_NAME("Nama profil (misalnya \"Ibu\")", "Profile name (for example \"Mother\")"),
    PROFILE_NAME_HINT(
        "Nama panggilan untuk memilih profil di ponsel ini, bukan nama lengkap.",
        "A nickname to pick the profile on this phone, not your full name.",
    ),
    PROFILE_NAME_REQUIRED("Isi nama profil.", "Enter a profile name."),
    CHOOSE_PROTECTION("Lindungi profil", "Protect the profile"),
    PROTECTION_DEVICE("Kunci ponsel ini", "This phone's key"),
    PROTECTION_BIOMETRIC("Sidik jari atau wajah", "Fingerprint or face"),
    PROTECTION_PIN("PIN untuk profil ini", "A PIN for this profile"),
    PROTECTION_PIN_HINT(
        "Cocok untuk ponsel yang dipakai bersama keluarga.",
        "Good for a phone the family shares.",
    ),
    PIN_TOO_SHORT("PIN minimal 6 angka.", "The PIN needs at least 6 digits."),
    BIOMETRIC_NOT_AVAILABLE(
        "Ponsel ini tidak punya sidik jari atau wajah yang terdaftar.",
        "This phone has no enrolled fingerprint or face.",
    ),
    CREATE_PROFILE("Buat profil", "Create profile"),
    CREATING_PROFILE("Membuat profil…", "Creating the profile…"),

    // Unlock
    UNLOCK_TITLE("Buka profil", "Open a profile"),
    UNLOCK("Buka", "Open"),
    ENTER_PIN("Masukkan PIN", "Enter the PIN"),
    WAITING_FOR_PROMPT("Sentuh sensor atau lihat ke kamera…", "Touch the sensor or look at the camera…"),
    UNLOCKING("Membuka…", "Opening…"),
    WRONG_PIN("PIN salah. Coba lagi.", "Wrong PIN. Try again."),
    WRONG_DEVICE_KEY(
        "Kunci di ponsel ini bukan kunci profil ini (misalnya setelah aplikasi dipasang ulang). Data tidak rusak.",
        "The key on this phone is not this profile's (for example after a reinstall). Nothing is damaged.",
    ),
    PROMPT_CANCELLED(
        "Verifikasi dibatalkan atau belum bisa dilakukan. Coba lagi.",
        "Verification was cancelled or is not possible now. Try again.",
    ),
    KEY_LOST(
        "Kunci profil ini hilang (misalnya sidik jari baru didaftarkan). Datanya tidak bisa dibuka lagi: hapus profil ini, lalu buat yang baru.",
        "This profile's key is gone (for example after a new fingerprint was enrolled). Its data cannot be opened again: remove the profile and create a new one.",
    ),
    PROFILE_DAMAGED(
        "Data profil ini rusak. Hubungi petugas layanan.",
        "This profile's data is damaged. Contact the service desk.",
    ),
    DISK_FULL("Penyimpanan ponsel penuh. Kosongkan sebagian ruang.", "The phone's storage is full. Free some space."),
    WIPE_PENDING(
        "Profil sedang dihapus dan akan selesai saat aplikasi dibuka lagi.",
        "The profile is being removed; it finishes when the app opens again.",
    ),
    UNEXPECTED("Terjadi kesalahan. Coba lagi.", "Something went wrong. Try again."),
    NEW_PROFILE("Profil baru", "New profile"),

    // Home
    HOME_SERVICES("Layanan tersedia tanpa sinyal", "Services available offline"),
    HOME_NO_FORMS(
        "Belum ada formulir di ponsel ini. Sambungkan ke internet lalu perbarui.",
        "No forms on this phone yet. Connect to the internet and refresh.",
    ),
    HOME_DRAFTS("Draf", "Drafts"),
    HOME_OUTBOX("Kotak keluar", "Outbox"),
    HOME_NOTIFICATIONS("Pemberitahuan", "Notifications"),
    BADGE_WAITING("%s menunggu dikirim", "%s waiting to be sent"),
    BADGE_NEEDS_YOU("%s perlu tindakan Anda", "%s need you"),
    BADGE_UNREAD("%s pemberitahuan baru", "%s new notifications"),
    SYNC_NOW("Kirim dan perbarui sekarang", "Send and refresh now"),
    SYNCING("Mengirim…", "Sending…"),
    DRAFT_SAVED_AT("Disimpan %s", "Saved %s"),

    // Form
    NEXT("Berikutnya", "Next"),
    BACK("Kembali", "Back"),
    FINISH("Selesai dan kirim", "Finish and send"),
    PAGE_OF("Halaman %s dari %s", "Page %s of %s"),
    ADD_REPEAT("Tambah %s", "Add %s"),
    REMOVE_REPEAT("Hapus %s ini", "Remove this %s"),
    TAKE_PHOTO("Ambil foto", "Take a photo"),
    ATTACHED("Terlampir: %s", "Attached: %s"),
    REQUIRED("Wajib diisi", "Required"),
    FORM_FINALIZED(
        "Formulir masuk kotak keluar dan akan terkirim saat ada sinyal.",
        "The form is in the outbox and will be sent when there is a signal.",
    ),
    FORM_SAVED("Jawaban tersimpan otomatis.", "Answers are saved as you go."),
    FORM_NOT_OFFLINE(
        "Formulir ini tidak ada di ponsel. Perbarui daftar layanan.",
        "This form is not on the phone. Refresh the services.",
    ),
    FORM_CHANGED(
        "Formulir ini sudah diganti versi baru oleh instansi. Draf lama tidak bisa dilanjutkan.",
        "The agency replaced this form with a new version. The old draft cannot be continued.",
    ),

    // Outbox
    OUTBOX_EMPTY("Kotak keluar kosong.", "The outbox is empty."),
    RETRY("Coba kirim lagi", "Try sending again"),
    ACTION_AUTOMATIC("Akan dikirim ulang otomatis.", "It will be resent automatically."),
    ACTION_FIX_FORM("Perbaiki jawaban lalu kirim formulir baru.", "Fix the answers and send a new form."),
    ACTION_SMALLER_PHOTO("Kirim ulang dengan foto yang lebih kecil.", "Send again with a smaller photo."),
    ACTION_RETAKE_PHOTO(
        "Berkas di ponsel rusak: ambil ulang foto lalu lampirkan lagi.",
        "The file on the phone is damaged: retake the photo and attach it again.",
    ),
    ACTION_SIGN_IN("Masuk lagi di Pengaturan, lalu coba kirim lagi.", "Sign in again in Settings, then try again."),
    ACTION_FORM_WITHDRAWN(
        "Instansi tidak lagi menerima formulir ini. Hubungi petugas layanan.",
        "The agency no longer takes this form. Contact the service desk.",
    ),
    ACTION_CONTACT_SUPPORT("Hubungi petugas layanan.", "Contact the service desk."),
    SYNC_DONE("Selesai: %s terkirim.", "Done: %s sent."),
    SYNC_OFFLINE("Tidak ada sinyal. Akan dikirim saat tersambung.", "No signal. It will be sent once connected."),
    SYNC_WAITING_WIFI("Menunggu Wi-Fi (pengaturan: hanya Wi-Fi).", "Waiting for Wi-Fi (setting: Wi-Fi only)."),
    SYNC_SIGN_IN("Masuk dulu di Pengaturan agar formulir bisa dikirim.", "Sign in first in Settings so forms can be sent."),
    SYNC_UNREACHABLE("Server tidak bisa dihubungi. Akan dicoba lagi.", "The server cannot be reached. It will try again."),
    SYNC_OUT_OF_TIME("Waktu habis; sisanya dikirim nanti.", "Out of time; the rest is sent later."),
    SYNC_CANCELLED("Pengiriman dihentikan; akan dilanjutkan nanti.", "Sending stopped; it continues later."),

    // Status and notifications
    TIMELINE_TITLE("Riwayat status", "Status history"),
    TIMELINE_EMPTY("Belum ada kabar dari instansi.", "No news from the agency yet."),
    NOTE_FROM_OFFICER("Catatan petugas: %s", "Officer's note: %s"),
    NO_NOTIFICATIONS("Tidak ada pemberitahuan baru.", "No new notifications."),
    MARK_READ("Tandai sudah dibaca", "Mark as read"),
    NOTIFICATION_TITLE("%s: %s", "%s: %s"),

    // Settings
    SETTINGS("Pengaturan", "Settings"),
    LANGUAGE("Bahasa", "Language"),
    WIFI_ONLY("Kirim hanya lewat Wi-Fi", "Send over Wi-Fi only"),
    WIFI_ONLY_HINT(
        "Data seluler tidak dipakai; kotak keluar menunggu Wi-Fi.",
        "Mobile data is not used; the outbox waits for Wi-Fi.",
    ),
    SIGNED_IN("Masuk ke %s", "Signed in to %s"),
    SIGNED_OUT("Belum masuk", "Not signed in"),
    PHONE_NUMBER("Nomor HP", "Phone number"),
    SEND_CODE("Kirim kode SMS", "Send SMS code"),
    ENTER_CODE("Masukkan %s angka kode dari SMS", "Enter the %s-digit code from the SMS"),
    SIGN_IN("Masuk", "Sign in"),
    SIGN_OUT("Keluar", "Sign out"),
    SIGN_IN_NETWORK("Tidak bisa menghubungi server. Periksa sinyal.", "Cannot reach the server. Check the signal."),
    REMOVE_PROFILE("Hapus profil ini dari ponsel", "Remove this profile from the phone"),
    REMOVE_CONFIRM(
        "Semua draf, foto, dan formulir yang belum terkirim di profil ini akan dihapus. Lanjutkan?",
        "Every draft, photo and unsent form of this profile will be deleted. Continue?",
    ),
    REMOVE_UNSENT_WARNING("%s formulir belum terkirim.", "%s forms are not sent yet."),
    CONFIRM("Ya, hapus", "Yes, remove"),
    CANCEL("Batal", "Cancel"),
}

/** The strings table in one language, for a screen's state. */
class Strings(val language: Language) {
    operator fun get(key: Msg): String = if (language == Language.ENGLISH) key.en else key.id

    /** [key] with its `%s` placeholders filled in order. */
    fun format(key: Msg, vararg args: Any): String {
        var out = get(key)
        for (a in args) out = out.replaceFirst("%s", a.toString())
        return out
    }

    override fun equals(other: Any?) = other is Strings && other.language == language
    override fun hashCode() = language.hashCode()

    companion object {
        fun of(language: Language) = if (language == Language.ENGLISH) EN else ID
        private val ID = Strings(Language.INDONESIAN)
        private val EN = Strings(Language.ENGLISH)
    }
}
