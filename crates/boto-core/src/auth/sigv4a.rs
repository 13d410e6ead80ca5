//! SigV4a: asymmetric SigV4 with an ECDSA P-256 key derived from the
//! credentials, valid in a set of regions.
//!
//! The key derivation follows the SigV4a specification (as aws-c-auth
//! implements it): HMAC-SHA256 in counter mode (NIST SP 800-108) keyed with
//! `"AWS4A" + secret` over `0x00000001 || "AWS4-ECDSA-P256-SHA256" || 0x00
//! || access key id || counter || 0x00000100`; a candidate above `n - 2`
//! (n the curve order) is rejected and the counter moves on; the private
//! key is the candidate plus one. Signatures are ECDSA-SHA256 over the
//! string to sign, DER-encoded, in hex. Derived keys are cached per access
//! key.

use std::sync::{Arc, Mutex};

use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use time::OffsetDateTime;

use super::encode::{hex, unhex};
use super::sigv4::{self, hmac_sha256, Mode, Spec};
use super::{SigV4aScheme, SigningError, SigningOutput};
use crate::credentials::Credentials;
use crate::request::HttpRequest;

/// `AWS4-ECDSA-P256-SHA256`.
pub const ALGORITHM: &str = "AWS4-ECDSA-P256-SHA256";

/// The order of P-256 minus two, big-endian.
const N_MINUS_2: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA,
    0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x4F,
];

/// Signs `req` with an `Authorization` header.
pub fn sign_headers(
    req: &mut HttpRequest,
    scheme: &SigV4aScheme,
    creds: &Credentials,
    time: OffsetDateTime,
) -> Result<SigningOutput, SigningError> {
    sign(req, scheme, creds, time, Mode::Headers)
}

/// Presigns `req`: the signature goes into the query string, valid for
/// `expires_in` seconds.
pub fn presign(
    req: &mut HttpRequest,
    scheme: &SigV4aScheme,
    creds: &Credentials,
    time: OffsetDateTime,
    expires_in: u64,
) -> Result<SigningOutput, SigningError> {
    sign(req, scheme, creds, time, Mode::Query { expires_in })
}

fn sign(
    req: &mut HttpRequest,
    scheme: &SigV4aScheme,
    creds: &Credentials,
    time: OffsetDateTime,
    mode: Mode,
) -> Result<SigningOutput, SigningError> {
    let key = signing_key(creds)?;
    let region_set = scheme.region_set_value();
    let spec = Spec { v4a: true, signing_name: &scheme.signing_name, region: &region_set, options: &scheme.options };
    sigv4::sign_request(req, &spec, creds, time, mode, |sts, _date| {
        let sig: Signature = key.sign(sts.as_bytes());
        Ok(hex(sig.to_der().as_bytes()))
    })
}

/// The SigV4a public key of `creds`: the uncompressed point's X and Y
/// coordinates, 32 bytes each.
pub fn public_key(creds: &Credentials) -> Result<([u8; 32], [u8; 32]), SigningError> {
    let key = signing_key(creds)?;
    let point = key.verifying_key().to_sec1_point(false);
    let bytes = point.as_bytes();
    let mut x = [0u8; 32];
    let mut y = [0u8; 32];
    if bytes.len() == 65 {
        x.copy_from_slice(&bytes[1..33]);
        y.copy_from_slice(&bytes[33..65]);
    }
    Ok((x, y))
}

/// Checks a SigV4a signature (hex DER) over `string_to_sign` against a
/// public key given as hex X and Y coordinates. False for anything
/// malformed.
pub fn verify(public_x_hex: &str, public_y_hex: &str, string_to_sign: &str, signature_hex: &str) -> bool {
    let (Some(x), Some(y), Some(sig)) = (unhex(public_x_hex), unhex(public_y_hex), unhex(signature_hex)) else {
        return false;
    };
    if x.len() != 32 || y.len() != 32 {
        return false;
    }
    let mut sec1 = Vec::with_capacity(65);
    sec1.push(4);
    sec1.extend_from_slice(&x);
    sec1.extend_from_slice(&y);
    let (Ok(vk), Ok(sig)) = (VerifyingKey::from_sec1_bytes(&sec1), Signature::from_der(&sig)) else {
        return false;
    };
    vk.verify(string_to_sign.as_bytes(), &sig).is_ok()
}

struct CachedKey {
    access_key_id: Box<str>,
    secret: Box<str>,
    key: Arc<SigningKey>,
}

static KEY_CACHE: Mutex<Vec<CachedKey>> = Mutex::new(Vec::new());
const KEY_CACHE_SIZE: usize = 8;

/// The derived ECDSA key of `creds`, from the cache when possible.
fn signing_key(creds: &Credentials) -> Result<Arc<SigningKey>, SigningError> {
    let (akid, secret) = (creds.access_key_id(), creds.secret_access_key());
    if let Ok(cache) = KEY_CACHE.lock() {
        if let Some(e) = cache.iter().find(|e| &*e.access_key_id == akid && &*e.secret == secret) {
            return Ok(e.key.clone());
        }
    }
    let key = Arc::new(derive_key(akid, secret)?);
    if let Ok(mut cache) = KEY_CACHE.lock() {
        cache.insert(0, CachedKey { access_key_id: akid.into(), secret: secret.into(), key: key.clone() });
        cache.truncate(KEY_CACHE_SIZE);
    }
    Ok(key)
}

fn derive_key(access_key_id: &str, secret: &str) -> Result<SigningKey, SigningError> {
    let fail = || SigningError::KeyDerivation { access_key_id: access_key_id.to_owned() };
    let mut hmac_key = Vec::with_capacity(secret.len() + 5);
    hmac_key.extend_from_slice(b"AWS4A");
    hmac_key.extend_from_slice(secret.as_bytes());
    let mut input = Vec::with_capacity(4 + ALGORITHM.len() + 1 + access_key_id.len() + 1 + 4);
    for counter in 1u8..=254 {
        input.clear();
        input.extend_from_slice(&[0, 0, 0, 1]);
        input.extend_from_slice(ALGORITHM.as_bytes());
        input.push(0);
        input.extend_from_slice(access_key_id.as_bytes());
        input.push(counter);
        input.extend_from_slice(&[0, 0, 1, 0]);
        let candidate = hmac_sha256(&hmac_key, &input);
        // Big-endian comparison: reject candidates above n - 2.
        if candidate > N_MINUS_2 {
            continue;
        }
        let mut private = candidate;
        for b in private.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
        return SigningKey::from_slice(&private).map_err(|_| fail());
    }
    Err(fail())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_the_public_key_of_the_aws_c_auth_suite() {
        let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
        let (x, y) = public_key(&creds).unwrap();
        assert_eq!(hex(&x), "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1");
        assert_eq!(hex(&y), "865ed22a7eadc9c5cb9d2cbaca1b3699139fedc5043dc6661864218330c8e518");
    }

    #[test]
    fn signatures_verify_and_tampering_is_detected() {
        let creds = Credentials::new("AKID", "secret", None);
        let key = signing_key(&creds).unwrap();
        let sig: Signature = key.sign(b"hello");
        let (x, y) = public_key(&creds).unwrap();
        let sig_hex = hex(sig.to_der().as_bytes());
        assert!(verify(&hex(&x), &hex(&y), "hello", &sig_hex));
        assert!(!verify(&hex(&x), &hex(&y), "hellp", &sig_hex));
        assert!(!verify(&hex(&x), &hex(&y), "hello", "3044"));
        assert!(!verify("zz", &hex(&y), "hello", &sig_hex));
    }
}
