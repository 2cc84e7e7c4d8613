"""Builds the data files that layanan-search embeds.

1. kata-dasar.fc.zz: Sastrawi 1.0.1's root-word list (Sastrawi/Stemmer/data/kata-dasar.txt,
   itself from Kateglo, CC BY-NC-SA 3.0), sorted, front-coded (one byte: length of the
   prefix shared with the previous word, then the rest of the word, then a newline) and
   zlib-compressed at level 9. Entries that are not [a-z-]+ (one: 'oper "v,"') can never
   match a normalized word and are dropped.
2. slang-indonlp.tsv: the entries of indoNLP 0.3.4's SLANG_DATA (MIT, from Kamus Alay by
   Salsabila et al.) whose standard form is one of the words a citizen uses when asking for
   a public service (TARGETS below), minus keys that are real root words or mean something
   else in that setting (EXCLUDED).

Usage: python build_data.py DATA_DIR (run through build_data.sh).
"""
import os
import re
import sys
import zlib

import Sastrawi
from indoNLP.preprocessing.slang_data import SLANG_DATA

TARGETS = {
    "tidak", "enggak", "saya", "aku", "yang", "dengan", "untuk", "bagaimana", "berapa",
    "dimana", "kemana", "kenapa", "mengapa", "kapan", "apa", "hilang", "sudah", "belum",
    "karena", "harus", "bisa", "dari", "dalam", "juga", "lagi", "orang", "sekarang",
    "tanggal", "tahun", "nomor", "mengurus", "mencari", "mau", "pengin", "ingin", "tapi",
    "saja", "kalau", "gimana", "begitu", "bagaimana", "banyak", "sama", "atau", "ada",
    "baru", "lama", "bayar", "biaya", "gratis", "daftar", "mendaftar", "minta", "meminta",
    "tolong", "bantu", "bantuan", "urus", "buat", "membuat", "bikin", "lahir", "nikah",
    "menikah", "cerai", "meninggal", "pindah", "rumah", "kerja", "bekerja", "usaha",
    "kantor", "desa", "kelurahan", "kecamatan", "alamat", "anak", "istri", "suami",
    "bapak", "ibu", "keluarga", "surat", "syarat", "persyaratan", "dokumen", "foto",
    "online", "antre", "antri", "cepat", "lambat", "kapan", "berapa", "lama", "hari",
    "bulan", "minggu", "jam", "sampai", "belum", "rusak", "ganti", "mengganti",
    "perpanjang", "memperpanjang", "cetak", "mencetak", "ambil", "mengambil", "tahu",
    "kasih", "terima", "kirim", "mengirim", "sendiri", "semua", "tentang",
}
EXCLUDED = {
    "kk",   # kartu keluarga, not kakak
    "kel",  # kelurahan as often as keluarga
    "ktp", "kia", "nik", "sim", "skck", "sktm", "nib",
    "sd", "smp", "sma", "smk",  # school levels, not "sampai" / "sama"
    "pa", "ma", "th", "pi",     # too short to rewrite safely (pak, ma'am, ...)
}
# English words a query may contain: never rewritten as Indonesian slang.
ENGLISH = set("""
a am an and any are as at be by can card do does fee for get go got had has he her him his
how i id in is it its may me my new no not now of off on one or our out pay say see she so the
to too up us was way we what when where who why yes you add lost birth
""".split())


def build_dictionary(data_dir):
    src = os.path.join(os.path.dirname(Sastrawi.__file__), "Stemmer", "data", "kata-dasar.txt")
    with open(src, encoding="utf-8") as f:
        words = [w for w in f.read().split("\n") if w.strip()]
    kept = sorted({w for w in words if re.fullmatch(r"[a-z-]+", w)})
    out = bytearray()
    prev = b""
    for word in kept:
        b = word.encode()
        n = 0
        while n < min(len(b), len(prev), 255) and b[n] == prev[n]:
            n += 1
        out.append(n)
        out += b[n:]
        out.append(10)
        prev = b
    blob = zlib.compress(bytes(out), 9)
    with open(os.path.join(data_dir, "kata-dasar.fc.zz"), "wb") as f:
        f.write(blob)
    print(f"dictionary: {len(words)} entries, {len(kept)} kept, "
          f"{sum(len(w) + 1 for w in kept)} bytes plain, {len(out)} front-coded, "
          f"{len(blob)} compressed")
    return set(kept)


def build_slang(data_dir, roots):
    picked = []
    for key, value in SLANG_DATA.items():
        key = key.strip().lower()
        value = value.strip().lower()
        if value not in TARGETS or key == value or key in EXCLUDED:
            continue
        if not re.fullmatch(r"[a-z0-9]{2,12}", key) or not re.fullmatch(r"[a-z]+", value):
            continue
        if key in roots or key in ENGLISH:
            continue
        # Elongations ("ajaaahhhhh") are endless; keep the short spellings people type.
        if len(key) > 8 or re.search(r"(.)\1\1", key):
            continue
        picked.append((key, value))
    picked.sort()
    with open(os.path.join(data_dir, "slang-indonlp.tsv"), "w", encoding="utf-8") as f:
        f.write("# Picked by scripts/build_data.py from indoNLP 0.3.4 SLANG_DATA (MIT License,\n")
        f.write("# Copyright (c) 2022 Wahyu Setianto; data from Kamus Alay, Salsabila et al.).\n")
        f.write("# Do not edit: hand-written entries go in slang.tsv, which wins on conflicts.\n")
        for key, value in picked:
            f.write(f"{key}\t{value}\n")
    print(f"slang: {len(picked)} of {len(SLANG_DATA)} indoNLP entries")


def main():
    data_dir = sys.argv[1]
    roots = build_dictionary(data_dir)
    build_slang(data_dir, roots)


if __name__ == "__main__":
    main()
