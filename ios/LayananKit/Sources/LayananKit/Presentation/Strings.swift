import Foundation
import Layanan

/// Every sentence the app shows, in Bahasa Indonesia and English. Texts about the
/// citizen's data (statuses, form labels, engine errors) come from the core already
/// in both languages; these are the app's own words around them.
public struct Strings: Sendable {
    public let language: AppLanguage

    public init(_ language: AppLanguage) { self.language = language }

    private func t(_ id: String, _ en: String) -> String { language.pick(id, en) }

    // MARK: onboarding
    public var welcome: String { t("Selamat datang di Layanan", "Welcome to Layanan") }
    public var chooseLanguage: String { t("Pilih bahasa", "Choose a language") }
    public var profileNameTitle: String { t("Nama profil", "Profile name") }
    public var profileNameHint: String {
        t("Nama panggilan untuk profil ini di ponsel, misalnya \"Ibu\". Bukan nama lengkap.",
          "A nickname for this profile on the phone, for example \"Mum\". Not your full name.")
    }
    public var profileNameMissing: String { t("Isi nama profil.", "Enter a profile name.") }
    public var protectionTitle: String { t("Lindungi profil ini", "Protect this profile") }
    public func protectionName(_ p: Protection) -> String {
        switch p {
        case .biometrics: return t("Face ID / Touch ID", "Face ID / Touch ID")
        case .deviceKey: return t("Kunci layar ponsel", "The phone's screen lock")
        case .passphrase: return t("Kata sandi", "Password")
        }
    }
    public func protectionDetail(_ p: Protection) -> String {
        switch p {
        case .biometrics:
            return t("Wajah atau sidik jari Anda diminta setiap kali membuka profil. Jika wajah atau sidik jari di ponsel diubah, profil harus dibuat ulang.",
                     "Your face or fingerprint is asked each time the profile opens. If the phone's faces or fingerprints change, the profile must be set up again.")
        case .deviceKey:
            return t("Profil terbuka setelah ponsel dibuka. Pengiriman bisa berjalan di latar belakang.",
                     "The profile opens once the phone is unlocked. Sending can run in the background.")
        case .passphrase:
            return t("Untuk ponsel yang dipakai bersama: setiap anggota keluarga punya kata sandi sendiri.",
                     "For a shared phone: each family member has their own password.")
        }
    }
    public var biometricsUnavailable: String {
        t("Ponsel ini tidak punya Face ID atau Touch ID yang aktif.", "This phone has no Face ID or Touch ID set up.")
    }
    public var passphraseTooShort: String { t("Kata sandi minimal 8 karakter.", "The password needs at least 8 characters.") }
    public var passphraseMismatch: String { t("Kedua kata sandi tidak sama.", "The two passwords do not match.") }
    public var createProfile: String { t("Buat profil", "Create profile") }
    public var next: String { t("Lanjut", "Next") }
    public var back: String { t("Kembali", "Back") }

    // MARK: unlock
    public var unlockTitle: String { t("Buka profil", "Open a profile") }
    public func unlockButton(_ p: Protection) -> String {
        switch p {
        case .biometrics: return t("Buka dengan Face ID / Touch ID", "Open with Face ID / Touch ID")
        case .deviceKey: return t("Buka", "Open")
        case .passphrase: return t("Buka dengan kata sandi", "Open with password")
        }
    }
    public var biometricPrompt: String { t("Buka profil Layanan Anda", "Open your Layanan profile") }
    public var wrongSecret: String {
        t("Kata sandi salah. Coba lagi.", "Wrong password. Try again.")
    }
    public var wrongKey: String {
        t("Kunci ini bukan milik profil ini. Data Anda tetap aman.", "This key does not belong to this profile. Your data is safe.")
    }
    public var promptCancelled: String {
        t("Buka profil dibatalkan. Ketuk tombol untuk mencoba lagi.", "Opening was cancelled. Tap the button to try again.")
    }
    public var keyUnavailable: String {
        t("Kunci belum bisa dibaca. Buka kunci ponsel, lalu coba lagi.", "The key cannot be read yet. Unlock the phone, then try again.")
    }
    public var keyLost: String {
        t("Kunci profil ini hilang dari ponsel (wajah atau sidik jari diubah, atau ponsel dipulihkan dari cadangan). Data profil ini tidak bisa dibuka lagi: hapus profil lalu buat yang baru, dan ajukan ulang yang belum terkirim.",
          "This profile's key is gone from the phone (faces or fingerprints changed, or the phone was restored from a backup). Its data can no longer be opened: remove the profile, set up a new one and submit again what was not sent.")
    }
    public var removeThisProfile: String { t("Hapus profil ini dari ponsel", "Remove this profile from the phone") }
    public var addProfile: String { t("Tambah profil", "Add a profile") }

    // MARK: home
    public var homeFormsTitle: String { t("Layanan tersedia offline", "Services available offline") }
    public var homeDraftsTitle: String { t("Draf", "Drafts") }
    public var noForms: String {
        t("Belum ada formulir. Sambungkan ke internet lalu tarik untuk memuat.", "No forms yet. Connect to the internet and pull to refresh.")
    }
    public var formsKeptOffline: String {
        t("Tidak bisa memuat formulir baru; formulir yang tersimpan tetap bisa diisi.",
          "New forms could not be loaded; the forms on the phone can still be filled.")
    }
    public func badge(_ kind: OutboxBadge.Kind, _ count: Int) -> String {
        switch kind {
        case .waiting: return t("\(count) menunggu dikirim", "\(count) waiting to be sent")
        case .sending: return t("\(count) sedang dikirim", "\(count) sending")
        case .sent: return t("\(count) terkirim", "\(count) sent")
        case .needsAction: return t("\(count) perlu tindakan Anda", count == 1 ? "1 needs your action" : "\(count) need your action")
        }
    }
    public func unread(_ count: Int) -> String {
        t("\(count) pemberitahuan baru", count == 1 ? "1 new notification" : "\(count) new notifications")
    }
    public func draftSaved(_ date: String) -> String { t("Disimpan \(date)", "Saved \(date)") }
    public var unknownForm: String { t("Formulir", "Form") }

    // MARK: form filling
    public func pageOf(_ index: Int, _ count: Int) -> String { t("Halaman \(index) dari \(count)", "Page \(index) of \(count)") }
    public var previous: String { t("Sebelumnya", "Previous") }
    public var addRepeat: String { t("Tambah lagi", "Add another") }
    public var removeRepeat: String { t("Hapus bagian ini", "Remove this part") }
    public var attachPhoto: String { t("Lampirkan foto", "Attach a photo") }
    public var replacePhoto: String { t("Ganti foto", "Replace the photo") }
    public var finalize: String { t("Kirim permohonan", "Submit the application") }
    public var savedAutomatically: String {
        t("Jawaban tersimpan otomatis di ponsel.", "Answers are saved on the phone automatically.")
    }
    public var finalized: String {
        t("Permohonan masuk kotak keluar dan dikirim saat ada sinyal.", "The application is in the outbox and is sent when there is signal.")
    }
    public var required: String { t("Wajib diisi", "Required") }
    public var errorPrefix: String { t("Kesalahan:", "Error:") }

    // MARK: outbox
    public var outboxTitle: String { t("Kotak keluar", "Outbox") }
    public var sendNow: String { t("Kirim sekarang", "Send now") }
    public var retry: String { t("Coba kirim lagi", "Try sending again") }
    public var outboxEmpty: String { t("Belum ada permohonan.", "No applications yet.") }
    public func uploading(_ percent: Int) -> String { t("Mengunggah \(percent)%", "Uploading \(percent)%") }
    public func advice(_ action: WedgedAction) -> String {
        switch action {
        case .waitAndResend:
            return t("Tidak perlu berbuat apa-apa: akan dikirim ulang otomatis.", "Nothing to do: it is resent automatically.")
        case .signIn:
            return t("Masuk lagi di Pengaturan, lalu kirim ulang.", "Sign in again in Settings, then send again.")
        case .makeFilesSmaller:
            return t("Fotonya terlalu besar. Ajukan ulang dengan foto yang lebih kecil.", "The photo is too large. Submit again with a smaller photo.")
        case .retakePhoto:
            return t("Berkas di ponsel rusak: ambil ulang foto lalu lampirkan lagi.",
                     "The file on the phone is damaged: retake the photo and attach it again.")
        case .formWithdrawn:
            return t("Layanan ini tidak lagi menerima formulir ini. Muat ulang formulir dan ajukan lagi.",
                     "This service no longer takes this form. Refresh the forms and submit again.")
        case .fixAnswers:
            return t("Instansi menolak jawabannya. Isi formulir lagi dengan jawaban yang benar.", "The agency refused the answers. Fill the form again with correct answers.")
        case .contactSupport:
            return t("Hubungi layanan bantuan instansi dan sebutkan kode permohonan ini.", "Contact the agency's help desk and give this application's code.")
        }
    }
    public func lastRun(sent: UInt32, remaining: UInt32) -> String {
        t("\(sent) terkirim, \(remaining) menunggu", "\(sent) sent, \(remaining) waiting")
    }
    public func stopped(_ reason: StopReason) -> String {
        switch reason {
        case .serverUnreachable: return t("Server tidak terjangkau. Dicoba lagi nanti.", "The server cannot be reached. Trying again later.")
        case .timeBudget: return t("Waktu habis; sisanya dikirim nanti.", "Out of time; the rest is sent later.")
        case .signInRequired: return t("Masuk dulu di Pengaturan untuk mengirim.", "Sign in in Settings to send.")
        case .offline: return t("Tidak ada sinyal. Dikirim saat tersambung.", "No signal. Sent once connected.")
        case .waitingForUnmetered: return t("Menunggu Wi-Fi (pengaturan: hanya Wi-Fi).", "Waiting for Wi-Fi (setting: Wi-Fi only).")
        case .cancelled: return t("Pengiriman dihentikan; dilanjutkan nanti.", "Sending stopped; it continues later.")
        }
    }

    // MARK: timeline and notifications
    public var timelineTitle: String { t("Riwayat status", "Status history") }
    public var notificationsTitle: String { t("Pemberitahuan", "Notifications") }
    public var noNotifications: String { t("Tidak ada pemberitahuan baru.", "No new notifications.") }
    public func officerNote(_ note: String) -> String { t("Catatan petugas: \(note)", "Officer's note: \(note)") }

    // MARK: settings
    public var settingsTitle: String { t("Pengaturan", "Settings") }
    public var languageTitle: String { t("Bahasa", "Language") }
    public var wifiOnly: String { t("Kirim hanya lewat Wi-Fi", "Send over Wi-Fi only") }
    public var wifiOnlyDetail: String {
        t("Hemat kuota: di data seluler, permohonan menunggu Wi-Fi.", "Saves data: on mobile data, applications wait for Wi-Fi.")
    }
    public var phoneNumber: String { t("Nomor ponsel", "Phone number") }
    public var signIn: String { t("Masuk", "Sign in") }
    public var sendCode: String { t("Kirim kode SMS", "Send SMS code") }
    public func enterCode(_ length: UInt32) -> String { t("Masukkan \(length) digit kode dari SMS", "Enter the \(length)-digit code from the SMS") }
    public var signOut: String { t("Keluar", "Sign out") }
    public func signedIn(_ server: String) -> String { t("Masuk ke \(server)", "Signed in to \(server)") }
    public var signedOut: String { t("Belum masuk: permohonan menunggu sampai Anda masuk.", "Not signed in: applications wait until you sign in.") }
    public var removeProfileWarning: String {
        t("Semua draf, foto dan permohonan yang belum terkirim di profil ini dihapus dari ponsel. Tidak bisa dibatalkan.",
          "Every draft, photo and unsent application of this profile is deleted from the phone. This cannot be undone.")
    }
    public var lock: String { t("Kunci profil", "Lock the profile") }

    // MARK: errors
    public var noSignal: String { t("Tidak ada sinyal. Coba lagi nanti.", "No signal. Try again later.") }
    public var diskFull: String { t("Memori ponsel penuh. Kosongkan sedikit ruang, lalu coba lagi.", "The phone's storage is full. Free some space, then try again.") }
    public var damaged: String { t("Data di ponsel rusak. Hubungi layanan bantuan.", "Data on the phone is damaged. Contact the help desk.") }
    public var wipePending: String { t("Profil sedang dihapus dan akan selesai saat aplikasi dibuka lagi.", "The profile is being removed; it finishes when the app opens again.") }
    public var locked: String { t("Profil terkunci. Buka lagi.", "The profile is locked. Open it again.") }
    public var notSignedIn: String { t("Masuk dulu di Pengaturan.", "Sign in first in Settings.") }
    public var formChanged: String {
        t("Formulir ini sudah diperbarui instansi; draf lama tidak bisa dilanjutkan. Mulai formulir baru.",
          "The agency updated this form; the old draft cannot continue. Start a new form.")
    }
    public var formNotOffline: String { t("Formulir ini belum tersimpan di ponsel. Muat ulang formulir.", "This form is not on the phone yet. Refresh the forms.") }
    public var alreadyFinalized: String { t("Permohonan ini sudah dikirim ke kotak keluar.", "This application is already in the outbox.") }
    public var unexpected: String { t("Terjadi kesalahan. Coba lagi; jika berulang, hubungi layanan bantuan.", "Something went wrong. Try again; if it happens again, contact the help desk.") }
}
