"""Writes tests/fixtures/sastrawi_oracle.tsv: affixed Indonesian words and Sastrawi's stem.

The words come from four places, all deterministic:
1. SERVICE_TEXT below: sentences in the register of public-service descriptions
   (requirements, procedures, complaints), as the catalog and forms phrase them;
2. the Indonesian words of the repository's text files (forms, fixtures, docs) and of any
   extra folder given on the command line (the service catalog, once it exists);
3. the standard forms in indoNLP's slang table and its stop-word list (real words);
4. dictionary roots with Indonesian affixes applied by the morphophonemic rules (meN-,
   peN-, ber-, ter-, per-, di-, ke-, se-, confixes, -kan/-i/-an, possessives, particles),
   a fixed random sample (seed 2025).
Only words Sastrawi changes (stem != word), or that carry an affix shape, are kept.

Usage: python sastrawi_oracle.py OUT.tsv REPO_ROOT [EXTRA_DIR...] (see sastrawi_oracle.sh).
"""
import os
import random
import re
import sys

import Sastrawi
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from indoNLP.preprocessing.slang_data import SLANG_DATA
from indoNLP.preprocessing.stopwords_data import STOPWORDS

SERVICE_TEXT = """
Persyaratan pembuatan KTP elektronik bagi penduduk yang telah berusia tujuh belas tahun atau
sudah menikah. Pemohon membawa fotokopi kartu keluarga dan surat pengantar dari kelurahan.
Penggantian KTP yang hilang memerlukan surat keterangan kehilangan dari kepolisian.
Perekaman data kependudukan dilakukan di kantor dinas kependudukan dan pencatatan sipil.
Pencetakan ulang dokumen kependudukan tidak dipungut biaya. Pelayanan diberikan pada hari kerja.
Pengurusan akta kelahiran anak dilengkapi dengan surat keterangan kelahiran dari rumah sakit,
bidan, atau puskesmas, buku nikah orang tua, serta identitas dua orang saksi.
Pencatatan perkawinan bagi penduduk beragama selain Islam dilakukan oleh catatan sipil.
Pelaporan kematian anggota keluarga paling lambat tiga puluh hari sejak tanggal kematian.
Perubahan data kartu keluarga karena penambahan anggota, pengurangan anggota, atau perpindahan.
Permohonan surat pindah datang dan pindah keluar antarkabupaten maupun antarprovinsi.
Penerbitan kartu identitas anak untuk anak berumur kurang dari tujuh belas tahun.
Penerbitan surat keterangan catatan kepolisian untuk melamar pekerjaan dan pendaftaran sekolah.
Pemohon paspor wajib hadir untuk pengambilan foto dan sidik jari serta wawancara.
Perpanjangan paspor yang masa berlakunya habis, penggantian paspor yang rusak atau hilang.
Pendaftaran nomor induk berusaha melalui sistem perizinan berusaha terintegrasi secara elektronik.
Pengajuan bantuan sosial bagi keluarga penerima manfaat yang terdaftar dalam data terpadu.
Pendaftaran peserta penerima bantuan iuran jaminan kesehatan nasional.
Penyampaian pengaduan masyarakat secara daring; laporan ditindaklanjuti oleh instansi terkait.
Pengaduan dapat disampaikan tanpa menyebutkan identitas pelapor; kerahasiaan dijamin.
Surat keterangan tidak mampu diterbitkan oleh kelurahan setelah diverifikasi oleh petugas.
Permohonan keterangan domisili usaha dan pengantar pernikahan dari rukun tetangga dan rukun warga.
Pembayaran dilakukan melalui bank persepsi; bukti pembayaran ditunjukkan kepada petugas loket.
Masyarakat dianjurkan mendaftarkan antrean secara daring sebelum mendatangi kantor pelayanan.
Pemeriksaan berkas persyaratan, penandatanganan, dan penyerahan dokumen kepada pemohon.
Kesalahan penulisan nama dapat dibetulkan dengan melampirkan dokumen pendukung yang disahkan.
Pengesahan anak, pengakuan anak, pengangkatan anak, dan perubahan nama berdasarkan penetapan
pengadilan. Pembatalan perkawinan dan perceraian dicatatkan setelah putusan berkekuatan hukum.
Pelayanan keliling menjangkau desa terpencil; petugas mendatangi warga yang berkebutuhan khusus.
Ketentuan mengenai tarif berdasarkan peraturan pemerintah tentang penerimaan negara bukan pajak.
Penduduk rentan, penyandang disabilitas, dan lanjut usia didahulukan dalam antrean pelayanan.
Bagaimanakah caranya memperbarui data? Berapakah biayanya? Di manakah kantornya? Siapakah yang
berwenang menandatangani? Apakah perlu membawa berkas aslinya? Bolehkah diwakilkan?
Mengunduh formulir, mengisi formulir, mengunggah dokumen, menunggu verifikasi, mengambil hasil.
Keterlambatan pelaporan dikenakan sanksi administratif sesuai peraturan daerah setempat.
Kehilangan dokumen perjalanan dilaporkan kepada kantor imigrasi terdekat disertai laporan polisi.
Memperpanjang, memperbaiki, mempercepat, memperlihatkan, mempersiapkan, mempertanyakan,
diperpanjang, diperbaiki, dipercepat, diperlihatkan, dipersiapkan, dipertanyakan, ketidakmampuan,
keberangkatan, kedatangan, kepindahan, kewarganegaraan, pewarganegaraan, berkewarganegaraan,
penyelenggaraan, penyelenggara, terselenggaranya, penyelesaian, diselesaikan, menyelesaikan,
pengesahan, disahkan, mengesahkan, pengecekan, pengeditan, pengeboman, mengebom, pengelolaan,
dikelola, mengelola, pengelola, pemanfaatan, dimanfaatkan, memanfaatkan, kemanfaatan, sepengetahuan.
Menyapu, memakan, mempengaruhi, menyala, mengecat, mengkritik, mensyaratkan, mensyukuri,
mentaati, memproteksi, pelajar, belajar, bekerja, berperan, terpercaya, bersamaan, meniru-nirukan,
berbalas-balasan, buku-bukunya, malaikat-malaikat-nya, kemasyarakatan, pertanggungjawaban.
"""

OUT_HEADER = """# Sastrawi oracle: word<TAB>stem as PySastrawi 1.0.1 (PyPI "Sastrawi", MIT License,
# (c) 2016 Hanif Amal Robbani, (c) 2019 Agapitus Keyka Vigiliant; root words from Kateglo,
# CC BY-NC-SA 3.0) stems it. Made by core/search/scripts/sastrawi_oracle.sh: service texts,
# the repository's Indonesian words, indoNLP's word lists and affixed dictionary roots
# (seed 2025). Do not edit by hand; regenerate.
"""

VOWELS = set("aiueo")


def men(root):
    """The meN- prefix with its nasal assimilation (and the dropped voiceless onset)."""
    c = root[0]
    if c in VOWELS:
        return "meng" + root
    if c in "lrwymn":
        return "me" + root
    if c in "bfv":
        return "mem" + root
    if c == "p":
        return "mem" + root[1:]
    if c in "cdjz":
        return "men" + root
    if c == "t":
        return "men" + root[1:]
    if c == "s":
        return "meny" + root[1:]
    if c in "ghq":
        return "meng" + root
    if c == "k":
        return "meng" + root[1:]
    return "me" + root


def pen(root):
    return "pe" + men(root)[2:]


def ber(root):
    if root[0] == "r" or root[1:3] == "er":
        return "be" + root
    return "ber" + root


def ter(root):
    return ("te" if root[0] == "r" else "ter") + root


def per(root):
    return ("pe" if root[0] == "r" else "per") + root


PATTERNS = [
    lambda r: men(r),
    lambda r: men(r) + "kan",
    lambda r: men(r) + "i",
    lambda r: men(r) + "nya",
    lambda r: "di" + r,
    lambda r: "di" + r + "kan",
    lambda r: "di" + r + "i",
    lambda r: "di" + r + "nya",
    lambda r: pen(r),
    lambda r: pen(r) + "an",
    lambda r: pen(r) + "nya",
    lambda r: per(r) + "an",
    lambda r: "memper" + r + "kan",
    lambda r: "diper" + r + "kan",
    lambda r: ber(r),
    lambda r: ber(r) + "an",
    lambda r: ter(r),
    lambda r: ter(r) + "kan",
    lambda r: "ke" + r + "an",
    lambda r: "se" + r,
    lambda r: "se" + r + "nya",
    lambda r: r + "kan",
    lambda r: r + "an",
    lambda r: r + "i",
    lambda r: r + "nya",
    lambda r: r + "ku",
    lambda r: r + "mu",
    lambda r: r + "lah",
    lambda r: r + "kah",
    lambda r: r + "pun",
    lambda r: men(r) + "kannya",
    lambda r: "ke" + r + "annya",
    lambda r: pen(r) + "annya",
    lambda r: r + "-" + r,
    lambda r: r + "-" + r + "nya",
    lambda r: ber(r) + "-" + r + "an",
]

WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
TEXT_EXTENSIONS = (".md", ".xml", ".yaml", ".yml", ".toml", ".json", ".kt", ".swift", ".rs", ".csv")


def words_of(text):
    return WORD.findall(text.lower())


def repo_words(root, extra_dirs):
    found = set()
    folders = [root] + list(extra_dirs)
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d not in (".git", "target", "node_modules")]
            if os.sep + "core" + os.sep + "search" in dirpath + os.sep:
                continue  # not our own fixtures
            for name in filenames:
                if not name.endswith(TEXT_EXTENSIONS):
                    continue
                try:
                    with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                        found.update(words_of(f.read()))
                except (UnicodeDecodeError, OSError):
                    continue
    return found


def main():
    out_path, repo_root, *extra = sys.argv[1:]
    stemmer = StemmerFactory().create_stemmer()
    # ArrayDictionary keeps a list and `contains` scans it; a set answers the same
    # membership questions in constant time (Sastrawi's own code is otherwise unchanged).
    dictionary = stemmer.delegatedStemmer.dictionary
    dictionary.words = set(dictionary.words)
    roots_path = os.path.join(os.path.dirname(Sastrawi.__file__), "Stemmer", "data", "kata-dasar.txt")
    with open(roots_path, encoding="utf-8") as f:
        roots = {w for w in f.read().split("\n") if w.strip()}

    def stem(word):
        return stemmer.stem(word)

    real = set(words_of(SERVICE_TEXT))
    real |= {w for w in repo_words(repo_root, extra) if len(w) >= 5}
    real |= {w for v in SLANG_DATA.values() for w in words_of(v)}
    real |= {w for w in STOPWORDS if WORD.fullmatch(w)}
    # Real words: keep the affixed ones (Sastrawi reduces them) and not roots themselves.
    chosen = {w for w in real if w not in roots and stem(w) != w}

    rng = random.Random(2025)
    candidates = sorted(w for w in roots if re.fullmatch(r"[a-z]{3,9}", w))
    sample = rng.sample(candidates, 1400)
    generated = set()
    for root in sample:
        for pattern in rng.sample(PATTERNS, 2):
            generated.add(pattern(root))
    chosen |= generated

    rows = sorted((w, stem(w)) for w in chosen)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(OUT_HEADER)
        f.write(f"# {len(rows)} words: {len(chosen - generated)} from texts and lists, "
                f"{len(generated)} generated.\n")
        for word, root in rows:
            f.write(f"{word}\t{root}\n")
    print(f"{len(rows)} words written to {out_path}")


if __name__ == "__main__":
    main()
