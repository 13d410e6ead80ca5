//! CRC checksums of parts and objects: combining part CRCs into a
//! full-object CRC (uploads with `ChecksumType=FULL_OBJECT`), and checking
//! a ranged download against the object's full-object or composite CRC.

use base64::Engine as _;
use boto_core::checksum::Algorithm;
use boto_core::Value;

/// A CRC algorithm S3 can combine (CRC32, CRC32C, CRC64NVME).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Crc {
    pub(crate) algorithm: Algorithm,
    inner: crc_fast::CrcAlgorithm,
    width: usize,
}

impl Crc {
    /// The CRC for an algorithm, `None` for SHA and MD5.
    pub(crate) fn of(algorithm: Algorithm) -> Option<Crc> {
        let (inner, width) = match algorithm {
            Algorithm::Crc32 => (crc_fast::CrcAlgorithm::Crc32IsoHdlc, 4),
            Algorithm::Crc32c => (crc_fast::CrcAlgorithm::Crc32Iscsi, 4),
            Algorithm::Crc64Nvme => (crc_fast::CrcAlgorithm::Crc64Nvme, 8),
            _ => return None,
        };
        Some(Crc { algorithm, inner, width })
    }

    /// A fresh incremental digest.
    pub(crate) fn digest(&self) -> crc_fast::Digest {
        crc_fast::Digest::new(self.inner)
    }

    /// The CRC of `a` followed by `b`, from their CRCs and `b`'s length.
    pub(crate) fn combine(&self, a: u64, b: u64, b_len: u64) -> u64 {
        crc_fast::checksum_combine(self.inner, a, b, b_len)
    }

    /// The CRC of no bytes.
    pub(crate) fn empty(&self) -> u64 {
        self.digest().finalize()
    }

    /// Base64 of the big-endian value, as S3 writes checksums.
    pub(crate) fn encode(&self, value: u64) -> String {
        base64::engine::general_purpose::STANDARD.encode(&value.to_be_bytes()[8 - self.width..])
    }

    /// Parses a checksum as S3 writes it (a `-N` suffix is ignored).
    pub(crate) fn decode(&self, text: &str) -> Option<u64> {
        let text = text.split('-').next()?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).ok()?;
        if bytes.len() != self.width {
            return None;
        }
        Some(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    /// The composite checksum of parts: the CRC of their concatenated
    /// big-endian CRCs.
    pub(crate) fn composite(&self, parts: &[u64]) -> u64 {
        let mut d = self.digest();
        for p in parts {
            d.update(&p.to_be_bytes()[8 - self.width..]);
        }
        d.finalize()
    }

    /// The response and parameter member (`ChecksumCRC32`).
    pub(crate) fn member(&self) -> &'static str {
        member(self.algorithm)
    }
}

/// The member carrying an algorithm's checksum (`ChecksumCRC32`).
pub(crate) fn member(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::Crc32 => "ChecksumCRC32",
        Algorithm::Crc32c => "ChecksumCRC32C",
        Algorithm::Crc64Nvme => "ChecksumCRC64NVME",
        Algorithm::Sha1 => "ChecksumSHA1",
        Algorithm::Sha256 => "ChecksumSHA256",
        Algorithm::Md5 => "ContentMD5",
    }
}

/// What a downloaded object must hash to.
#[derive(Debug, Clone)]
pub(crate) struct Expected {
    pub(crate) crc: Crc,
    /// The checksum as S3 sent it.
    pub(crate) text: String,
    pub(crate) value: u64,
    /// `Some(parts)` for a composite checksum (a CRC of the part CRCs).
    pub(crate) composite_parts: Option<u32>,
}

/// The CRC a HeadObject answer (asked with `ChecksumMode=ENABLED`) gives
/// for the whole object, if any: full-object checksums (`ChecksumType`
/// `FULL_OBJECT`, or a single-request object) and composite ones (multipart
/// objects, `COMPOSITE`, value or ETag ending in `-N`).
pub(crate) fn expected(head: &Value) -> Option<Expected> {
    let etag_parts = head["ETag"].as_str().and_then(multipart_count);
    for algorithm in [Algorithm::Crc64Nvme, Algorithm::Crc32c, Algorithm::Crc32] {
        let crc = Crc::of(algorithm)?;
        let Some(text) = head[crc.member()].as_str() else { continue };
        let value = crc.decode(text)?;
        let suffix_parts = text.rsplit_once('-').and_then(|(_, n)| n.parse::<u32>().ok());
        let composite_parts = match head["ChecksumType"].as_str() {
            Some("FULL_OBJECT") => None,
            Some("COMPOSITE") => Some(suffix_parts.or(etag_parts)?),
            _ => suffix_parts.or(etag_parts),
        };
        return Some(Expected { crc, text: text.to_owned(), value, composite_parts });
    }
    None
}

/// `N` of a multipart ETag (`"<32 hex digits>-N"`; other servers' ETags,
/// such as nginx's `"<mtime>-<size>"`, are not multipart).
pub(crate) fn multipart_count(etag: &str) -> Option<u32> {
    let etag = etag.trim_matches('"');
    let (md5, n) = etag.rsplit_once('-')?;
    if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    n.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combine_matches_one_pass() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for algorithm in [Algorithm::Crc32, Algorithm::Crc32c, Algorithm::Crc64Nvme] {
            let crc = Crc::of(algorithm).unwrap();
            let whole = crc_fast::checksum(crc.inner, &data);
            let (a, b) = data.split_at(33_333);
            let ca = crc_fast::checksum(crc.inner, a);
            let cb = crc_fast::checksum(crc.inner, b);
            assert_eq!(crc.combine(ca, cb, b.len() as u64), whole);
            assert_eq!(crc.combine(crc.empty(), whole, data.len() as u64), whole);
            assert_eq!(crc.encode(whole), algorithm.checksum(&data));
            assert_eq!(crc.decode(&crc.encode(whole)), Some(whole));
        }
    }

    #[test]
    fn composite_is_the_crc_of_part_crcs() {
        let crc = Crc::of(Algorithm::Crc32).unwrap();
        let parts = [0x1234_5678u64, 0x9abc_def0];
        let bytes = [0x12u8, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0];
        assert_eq!(crc.encode(crc.composite(&parts)), Algorithm::Crc32.checksum(&bytes));
    }

    #[test]
    fn expected_checksums_from_head() {
        let head = boto_core::params!({ "ETag": "\"e\"", "ChecksumCRC32": "i9aeUg==" });
        let e = expected(&head).unwrap();
        assert_eq!((e.crc.algorithm, e.composite_parts), (Algorithm::Crc32, None));
        let etag3 = "\"0123456789abcdef0123456789abcdef-3\"";
        let head = boto_core::params!({ "ETag": etag3, "ChecksumCRC32C": "AAAAAA==-3", "ChecksumType": "COMPOSITE" });
        assert_eq!(expected(&head).unwrap().composite_parts, Some(3));
        let head = boto_core::params!({ "ETag": etag3, "ChecksumCRC32": "i9aeUg==" });
        assert_eq!(expected(&head).unwrap().composite_parts, Some(3));
        let head =
            boto_core::params!({ "ETag": etag3, "ChecksumCRC64NVME": "AAAAAAAAAAA=", "ChecksumType": "FULL_OBJECT" });
        assert_eq!(expected(&head).unwrap().composite_parts, None);
        assert!(expected(&boto_core::params!({ "ETag": "\"e\"", "ChecksumSHA256": "x" })).is_none());
        assert_eq!(multipart_count("\"0123456789abcdef0123456789abcdef-12\""), Some(12));
        assert_eq!(multipart_count("\"0123456789abcdef0123456789abcdef\""), None);
        assert_eq!(multipart_count("\"6560a1b2-40000000\""), None);
    }
}
