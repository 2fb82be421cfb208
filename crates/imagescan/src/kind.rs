//! What an object is, from its first bytes (never from its name alone),
//! and how large it claims to be, read from the header without decoding
//! pixels — so a small file that claims 100,000 × 100,000 pixels is refused
//! before any decoder allocates for it.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Tiff,
    Bmp,
    Heic,
    Pdf,
}

impl ImageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpeg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
            ImageKind::Tiff => "tiff",
            ImageKind::Bmp => "bmp",
            ImageKind::Heic => "heic",
            ImageKind::Pdf => "pdf",
        }
    }

    /// Whether Tesseract (through Leptonica) reads it as it is; HEIC and
    /// PDF are turned into PNG pages first ([`crate::convert`]).
    pub fn ocr_readable(self) -> bool {
        !matches!(self, ImageKind::Heic | ImageKind::Pdf)
    }
}

/// The kind, by magic bytes.
pub fn sniff(b: &[u8]) -> Option<ImageKind> {
    let at = |i: usize, m: &[u8]| b.len() >= i + m.len() && &b[i..i + m.len()] == m;
    if at(0, b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if at(0, b"\xff\xd8\xff") {
        Some(ImageKind::Jpeg)
    } else if at(0, b"GIF87a") || at(0, b"GIF89a") {
        Some(ImageKind::Gif)
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        Some(ImageKind::Webp)
    } else if at(0, b"II*\0") || at(0, b"MM\0*") {
        Some(ImageKind::Tiff)
    } else if at(0, b"BM") && b.len() >= 26 {
        Some(ImageKind::Bmp)
    } else if at(4, b"ftyp")
        && (at(8, b"heic")
            || at(8, b"heix")
            || at(8, b"mif1")
            || at(8, b"msf1")
            || at(8, b"heim")
            || at(8, b"heis")
            || at(8, b"avif"))
    {
        Some(ImageKind::Heic)
    } else if at(0, b"%PDF-") {
        Some(ImageKind::Pdf)
    } else {
        None
    }
}

/// Whether an object key or file name looks like an image (the first,
/// cheap filter; the bytes decide).
pub fn image_name(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    let ext = k.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    matches!(
        ext,
        "png"
            | "jpg"
            | "jpeg"
            | "jpe"
            | "gif"
            | "webp"
            | "tif"
            | "tiff"
            | "bmp"
            | "heic"
            | "heif"
            | "avif"
    )
}

/// Whether a key names a document that may hold scanned pages (PDF).
pub fn document_name(key: &str) -> bool {
    key.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("pdf"))
}

/// Whether a logged content type is a PDF.
pub fn document_content_type(ct: &str) -> bool {
    ct.trim()
        .to_ascii_lowercase()
        .starts_with("application/pdf")
}

/// Whether a logged content type is an image type.
pub fn image_content_type(ct: &str) -> bool {
    ct.trim().to_ascii_lowercase().starts_with("image/")
}

fn be16(b: &[u8], i: usize) -> Option<u32> {
    Some(u16::from_be_bytes(b.get(i..i + 2)?.try_into().ok()?) as u32)
}
fn le16(b: &[u8], i: usize) -> Option<u32> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?) as u32)
}
fn be32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}
fn le32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Width and height from the header, where the format puts them early.
pub fn dimensions(kind: ImageKind, b: &[u8]) -> Option<(u32, u32)> {
    match kind {
        ImageKind::Png => Some((be32(b, 16)?, be32(b, 20)?)),
        ImageKind::Gif => Some((le16(b, 6)?, le16(b, 8)?)),
        ImageKind::Bmp => {
            let w = le32(b, 18)? as i32;
            let h = le32(b, 22)? as i32;
            Some((w.unsigned_abs(), h.unsigned_abs()))
        }
        ImageKind::Webp => match b.get(12..16)? {
            b"VP8X" => Some((
                1 + (le32(b, 24)? & 0xff_ffff),
                1 + (le32(b, 27)? & 0xff_ffff),
            )),
            b"VP8L" => {
                let v = le32(b, 21)?;
                Some((1 + (v & 0x3fff), 1 + ((v >> 14) & 0x3fff)))
            }
            b"VP8 " => Some((le16(b, 26)? & 0x3fff, le16(b, 28)? & 0x3fff)),
            _ => None,
        },
        ImageKind::Jpeg => {
            // Walk the segments to the first start-of-frame marker.
            let mut i = 2;
            while i + 9 < b.len() {
                if b[i] != 0xff {
                    return None;
                }
                let marker = b[i + 1];
                if marker == 0xff {
                    i += 1;
                    continue;
                }
                let len = be16(b, i + 2)? as usize;
                let sof = matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
                if sof {
                    return Some((be16(b, i + 7)?, be16(b, i + 5)?));
                }
                i += 2 + len;
            }
            None
        }
        ImageKind::Heic => heif_largest_extent(b),
        ImageKind::Tiff | ImageKind::Pdf => None,
    }
}

/// The largest image extent a HEIF file declares: every image item has an
/// `ispe` property (box size, `ispe`, version and flags, width, height,
/// all big-endian). The largest is the full picture (tiles and thumbnails
/// are smaller), so the pixel limit holds before libheif decodes anything.
fn heif_largest_extent(b: &[u8]) -> Option<(u32, u32)> {
    memchr_all(b, b"ispe")
        .filter_map(|i| {
            let size = be32(b, i.checked_sub(4)?)?;
            if size < 20 {
                return None;
            }
            Some((be32(b, i + 8)?, be32(b, i + 12)?))
        })
        .max_by_key(|(w, h)| *w as u64 * *h as u64)
}

fn memchr_all<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    hay.windows(needle.len())
        .enumerate()
        .filter(move |(_, w)| *w == needle)
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    #[test]
    fn heif_extents_come_from_ispe_boxes() {
        let ispe = |w: u32, h: u32| {
            let mut b = 20u32.to_be_bytes().to_vec();
            b.extend_from_slice(b"ispe\0\0\0\0");
            b.extend_from_slice(&w.to_be_bytes());
            b.extend_from_slice(&h.to_be_bytes());
            b
        };
        let mut f = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
        f.extend(ispe(512, 512));
        f.extend(ispe(4032, 3024));
        f.extend(ispe(320, 240));
        assert_eq!(dimensions(ImageKind::Heic, &f), Some((4032, 3024)));
        f.extend(ispe(100_000, 100_000));
        assert_eq!(dimensions(ImageKind::Heic, &f), Some((100_000, 100_000)));
        assert_eq!(
            dimensions(ImageKind::Heic, b"\0\0\0\x18ftypheic ispe"),
            None
        );
    }

    use super::*;

    #[test]
    fn sniffs_by_bytes_not_names() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageKind::Png));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Some(ImageKind::Jpeg));
        assert_eq!(sniff(b"GIF89a.."), Some(ImageKind::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        assert_eq!(sniff(b"II*\0...."), Some(ImageKind::Tiff));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic...."), Some(ImageKind::Heic));
        assert_eq!(sniff(b"%PDF-1.7"), Some(ImageKind::Pdf));
        assert_eq!(sniff(b"this is text"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"\x89PN"), None, "truncated magic");
        assert!(image_name("uploads/Passport.JPG") && !image_name("report.pdf.txt"));
        assert!(image_content_type("image/png") && !image_content_type("application/pdf"));
        assert!(
            document_name("scans/ID.PDF") && !document_name("pdf") && !document_name("a.pdf.png")
        );
        assert!(
            document_content_type("application/pdf; charset=binary")
                && !document_content_type("image/png")
        );
    }

    #[test]
    fn reads_dimensions_from_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&1024u32.to_be_bytes());
        png.extend_from_slice(&768u32.to_be_bytes());
        assert_eq!(dimensions(ImageKind::Png, &png), Some((1024, 768)));
        assert_eq!(dimensions(ImageKind::Png, &png[..18]), None, "truncated");
        let gif = b"GIF89a\x00\x04\x00\x03";
        assert_eq!(dimensions(ImageKind::Gif, gif), Some((1024, 768)));
        // JPEG: SOI, an APP0 segment, then SOF0 with height 768, width 1024.
        let jpg = [
            0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x03,
            0x00, 0x04, 0x00, 0x03,
        ];
        assert_eq!(dimensions(ImageKind::Jpeg, &jpg), Some((1024, 768)));
        assert_eq!(dimensions(ImageKind::Jpeg, &jpg[..6]), None);
    }
}
