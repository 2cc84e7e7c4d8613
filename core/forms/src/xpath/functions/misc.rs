//! Functions that need randomness or hashing: `uuid`, `random`, `randomize`, `digest`,
//! and `boolean-from-string`. Randomness comes only from the caller's environment,
//! or from the seed the form gives (`randomize(nodes, seed)`), which is reproducible.

use super::{g, gs};
use crate::xpath::value::Value;
use crate::xpath::{EvalContext, XPathError};
use base64::Engine as _;

pub(super) fn call(name: &str, v: Vec<Value>, e: &EvalContext<'_>) -> Result<Value, XPathError> {
    let f = e.forest;
    Ok(match name {
        "uuid" => {
            if v.is_empty() {
                Value::String(e.env.uuid())
            } else {
                let n = g(&v, 0).to_number(f);
                let n = if n.is_finite() && n > 0.0 {
                    n.min(10_000.0) as usize
                } else {
                    0
                };
                const ALPHABET: &[u8] =
                    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
                let s = (0..n)
                    .map(|_| {
                        let i = (e.env.random() * ALPHABET.len() as f64) as usize;
                        ALPHABET[i.min(ALPHABET.len() - 1)] as char
                    })
                    .collect();
                Value::String(s)
            }
        }
        "random" => Value::Number(e.env.random()),
        "randomize" => {
            let seed = v.get(1).map(|s| s.to_number(f));
            let mut nodes = match v.into_iter().next() {
                Some(Value::Nodes(ns)) => ns,
                _ => return Err(XPathError::Eval("randomize needs a node-set".into())),
            };
            match seed {
                Some(s) => {
                    let mut rng = ParkMiller::new(s);
                    shuffle(&mut nodes, || rng.next_float());
                }
                None => shuffle(&mut nodes, || e.env.random()),
            }
            Value::Nodes(nodes)
        }
        "digest" => {
            let msg = gs(&v, 0, f);
            let algo = gs(&v, 1, f);
            let enc = if v.len() > 2 {
                gs(&v, 2, f)
            } else {
                "base64".into()
            };
            Value::String(digest(msg.as_bytes(), &algo, &enc)?)
        }
        "boolean-from-string" => {
            let s = gs(&v, 0, f);
            Value::Bool(matches!(s.trim(), "true" | "1"))
        }
        other => {
            return Err(XPathError::Eval(format!(
                "function '{other}' is not implemented"
            )))
        }
    })
}

/// Fisher-Yates, as ODK's `randomize` does.
fn shuffle<T>(items: &mut [T], mut rng: impl FnMut() -> f64) {
    for i in (1..items.len()).rev() {
        let j = ((rng() * (i + 1) as f64).floor() as usize).min(i);
        items.swap(i, j);
    }
}

/// The Park-Miller generator ODK specifies for seeded `randomize`, so a seed gives the
/// same order in every ODK client.
struct ParkMiller {
    seed: i64,
}

impl ParkMiller {
    fn new(seed: f64) -> ParkMiller {
        let s = if seed.is_finite() {
            seed.trunc() as i64
        } else {
            0
        };
        let mut s = s % 2_147_483_647;
        if s <= 0 {
            s += 2_147_483_646;
        }
        ParkMiller { seed: s }
    }

    fn next_float(&mut self) -> f64 {
        self.seed = (self.seed * 16_807) % 2_147_483_647;
        (self.seed - 1) as f64 / 2_147_483_646.0
    }
}

fn digest(msg: &[u8], algo: &str, enc: &str) -> Result<String, XPathError> {
    use sha2::Digest as _;
    let bytes: Vec<u8> = match algo {
        "MD5" => md5::Md5::digest(msg).to_vec(),
        "SHA-1" => sha1::Sha1::digest(msg).to_vec(),
        "SHA-256" => sha2::Sha256::digest(msg).to_vec(),
        "SHA-384" => sha2::Sha384::digest(msg).to_vec(),
        "SHA-512" => sha2::Sha512::digest(msg).to_vec(),
        other => {
            return Err(XPathError::Eval(format!(
                "digest: unknown algorithm '{other}'"
            )))
        }
    };
    match enc {
        "base64" => Ok(base64::engine::general_purpose::STANDARD.encode(bytes)),
        "hex" => Ok(bytes.iter().map(|b| format!("{b:02x}")).collect()),
        other => Err(XPathError::Eval(format!(
            "digest: unknown encoding '{other}'"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        assert_eq!(
            digest(b"abc", "SHA-256", "hex").unwrap_or_default(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            digest(b"abc", "MD5", "base64").unwrap_or_default(),
            "kAFQmDzST7DWlj99KOF/cg=="
        );
        assert!(digest(b"abc", "CRC", "hex").is_err());
    }

    #[test]
    fn seeded_shuffle_is_stable() {
        let mut a = [1, 2, 3, 4, 5, 6];
        let mut rng = ParkMiller::new(42.0);
        shuffle(&mut a, || rng.next_float());
        let mut b = [1, 2, 3, 4, 5, 6];
        let mut rng = ParkMiller::new(42.0);
        shuffle(&mut b, || rng.next_float());
        assert_eq!(a, b);
        assert_ne!(a, [1, 2, 3, 4, 5, 6]);
        let mut sorted = a;
        sorted.sort();
        assert_eq!(sorted, [1, 2, 3, 4, 5, 6]);
    }
}
