//! Why a NIK is refused, in words a citizen can act on. Errors carry region codes and
//! counts, never the NIK or the birth date it encodes, so they are safe to log.

/// What is impossible about the birth date in digits 7 to 12 (DDMMYY).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateProblem {
    /// The day is not 01-31 (men) or 41-71 (women, day + 40).
    Day,
    /// The month is not 01-12.
    Month,
    /// The month has no such day (31 April, 29 February outside a leap year).
    NoSuchDay,
    /// The date lies after today in both centuries.
    Future,
}

/// Why a NIK is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    /// After removing spaces, dots and hyphens, something other than a digit remains.
    #[error("NIK contains characters other than digits")]
    NotDigits,
    /// Not exactly 16 digits.
    #[error("NIK has {digits} digits instead of 16")]
    WrongLength {
        /// How many digits there are.
        digits: usize,
    },
    /// Digits 1-2 are not a province code.
    #[error("unknown province code {code}")]
    UnknownProvince {
        /// The province code, `PP`.
        code: String,
    },
    /// Digits 3-4 are not a regency/city of that province.
    #[error("unknown regency/city code {code}")]
    UnknownRegency {
        /// The regency code, `PP.KK`.
        code: String,
    },
    /// Digits 5-6 are not a district of that regency/city.
    #[error("unknown district code {code}")]
    UnknownDistrict {
        /// The district code, `PP.KK.CC`.
        code: String,
    },
    /// Digits 7-12 are not a possible birth date.
    #[error("impossible birth date ({problem:?})")]
    ImpossibleDate {
        /// What is wrong with it.
        problem: DateProblem,
    },
    /// Digits 13-16 are 0000.
    #[error("serial number 0000")]
    SerialZero,
    /// The embedded region list could not be decoded (a build defect, not the citizen's).
    #[error("region data: {0}")]
    RegionData(#[from] RegionDataError),
}

impl NikError {
    /// What is wrong, in Bahasa Indonesia, with what to check.
    pub fn message_id(&self) -> String {
        match self {
            NikError::NotDigits => {
                "NIK hanya boleh berisi angka. Periksa apakah ada huruf atau tanda lain yang ikut terketik.".into()
            }
            NikError::WrongLength { digits } => format!(
                "NIK harus 16 angka, yang diisi {digits} angka. Cocokkan dengan KTP-el atau Kartu Keluarga."
            ),
            NikError::UnknownProvince { code } => format!(
                "Kode provinsi {code} (angka 1-2 NIK) tidak ada. Periksa dua angka pertama NIK."
            ),
            NikError::UnknownRegency { code } => format!(
                "Kode kabupaten/kota {code} (angka 3-4 NIK) tidak ada di provinsi tersebut. Periksa angka 3 dan 4."
            ),
            NikError::UnknownDistrict { code } => format!(
                "Kode kecamatan {code} (angka 5-6 NIK) tidak ada di kabupaten/kota tersebut. Periksa angka 5 dan 6."
            ),
            NikError::ImpossibleDate { problem } => {
                let what = match problem {
                    DateProblem::Day => "tanggalnya harus 01-31 (laki-laki) atau 41-71 (perempuan, tanggal lahir ditambah 40)",
                    DateProblem::Month => "bulannya harus 01-12",
                    DateProblem::NoSuchDay => "tanggal itu tidak ada di bulan tersebut",
                    DateProblem::Future => "tanggal itu belum terjadi",
                };
                format!("Tanggal lahir di NIK (angka 7-12, TTBBTT) tidak mungkin: {what}. Periksa angka 7 sampai 12.")
            }
            NikError::SerialZero => {
                "Nomor urut NIK (4 angka terakhir) tidak boleh 0000. Periksa empat angka terakhir.".into()
            }
            NikError::RegionData(_) => {
                "Data wilayah di aplikasi rusak; NIK tidak dapat diperiksa. Perbarui aplikasi.".into()
            }
        }
    }

    /// What is wrong, in English, with what to check.
    pub fn message_en(&self) -> String {
        match self {
            NikError::NotDigits => {
                "A NIK contains only digits. Check for letters or other characters typed by mistake.".into()
            }
            NikError::WrongLength { digits } => format!(
                "A NIK has 16 digits; this one has {digits}. Compare it with the e-KTP or family card."
            ),
            NikError::UnknownProvince { code } => format!(
                "Province code {code} (NIK digits 1-2) does not exist. Check the first two digits."
            ),
            NikError::UnknownRegency { code } => format!(
                "Regency/city code {code} (NIK digits 3-4) does not exist in that province. Check digits 3 and 4."
            ),
            NikError::UnknownDistrict { code } => format!(
                "District code {code} (NIK digits 5-6) does not exist in that regency/city. Check digits 5 and 6."
            ),
            NikError::ImpossibleDate { problem } => {
                let what = match problem {
                    DateProblem::Day => "the day must be 01-31 (men) or 41-71 (women, day of birth plus 40)",
                    DateProblem::Month => "the month must be 01-12",
                    DateProblem::NoSuchDay => "that month has no such day",
                    DateProblem::Future => "that date has not happened yet",
                };
                format!("The birth date in the NIK (digits 7-12, DDMMYY) is impossible: {what}. Check digits 7 to 12.")
            }
            NikError::SerialZero => {
                "The NIK's serial number (last 4 digits) cannot be 0000. Check the last four digits.".into()
            }
            NikError::RegionData(_) => {
                "The app's region data is damaged, so the NIK cannot be checked. Update the app.".into()
            }
        }
    }
}

/// Why a region list could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionDataError {
    /// The raw-deflate stream is damaged or not UTF-8.
    #[error("region list is not valid deflated UTF-8")]
    Compression,
    /// A line does not follow the format (see `scripts/gen_regions.py`).
    #[error("region list line {line} is malformed")]
    Malformed {
        /// 1-based line number.
        line: usize,
    },
    /// Codes are not strictly increasing, so lookups would miss.
    #[error("region list line {line} is out of order")]
    Unsorted {
        /// 1-based line number.
        line: usize,
    },
}
