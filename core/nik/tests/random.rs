//! A seeded random loop: `check` returns a result, never panics, on arbitrary strings,
//! and every valid answer is consistent with the digits it came from.

use layanan_nik::{check_at, Date};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const ALPHABET: &[char] = &[
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '.', '-', 'a', 'O', '/', '\u{0663}',
    'é', '\n', '\u{3000}',
];

#[test]
fn check_never_panics_on_arbitrary_strings() {
    let today = Date::new(2026, 12, 2).expect("a real date");
    let mut rng = Rng(0x005E_ED0F_4E1C);
    let mut valid = 0;
    for round in 0..50_000 {
        let text: String = if round % 2 == 0 {
            // Mostly digits, near 16 long: reaches the region and date checks.
            let len = 14 + rng.below(5) as usize;
            let mut s: String = (0..len)
                .map(|_| char::from(b'0' + rng.below(10) as u8))
                .collect();
            if round % 4 == 0 {
                // A real province and regency prefix so districts and dates get exercised.
                s.replace_range(
                    0..4.min(s.len()),
                    ["3276", "1171", "9101", "9404", "3578"][rng.below(5) as usize],
                );
            }
            s
        } else {
            let len = rng.below(24) as usize;
            (0..len)
                .map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize])
                .collect()
        };
        if let Ok(info) = check_at(&text, today) {
            valid += 1;
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            assert_eq!(digits.len(), 16);
            assert_eq!(info.district.code.replace('.', ""), digits[..6]);
            assert!(info.birth_date <= today);
            assert_ne!(&digits[12..], "0000");
        }
    }
    assert!(valid > 0, "the loop should also reach valid NIKs");
}
