//! Listing images: uploads are decoded and re-encoded (which drops EXIF, GPS and every
//! other piece of metadata), turned upright by their EXIF orientation first, scaled to
//! a display size and a thumbnail, and stored as JPEG files named by the SHA-256 of the
//! display file:
//!
//! ```text
//! <data dir>/images/ab/ab12…ef.jpg        display size (long side ≤ 1600 px)
//! <data dir>/images/ab/ab12…ef-thumb.jpg  thumbnail (long side ≤ 480 px)
//! ```
//!
//! The same picture uploaded twice is stored once. Files are never changed after they
//! are written, so they can be cached forever.

use crate::storage::{Storage, StorageError};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use marktchat_shared::listing::{
    ImageRef, IMAGE_DISPLAY_MAX, IMAGE_MAX_PIXELS, IMAGE_THUMB_MAX, MAX_IMAGE_BYTES,
};
use marktchat_shared::Invalid;
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::Path;

const JPEG_QUALITY: u8 = 85;

/// An image ready to be stored: both sizes encoded, the reference computed.
#[derive(Debug, Clone)]
pub struct ProcessedImage {
    pub image: ImageRef,
    pub display: Vec<u8>,
    pub thumb: Vec<u8>,
}

/// The most memory one decode may allocate for its pixels: an 8-bit RGBA picture at
/// the pixel limit (160 MB) fits, a 16-bit one does not.
pub const MAX_DECODE_BYTES: u64 = 4 * IMAGE_MAX_PIXELS + 16 * 1024 * 1024;

/// Decodes an uploaded file (JPEG, PNG or WebP, recognised by its content, not its
/// name) and produces the stored versions. CPU-bound: call it off the async runtime
/// (`tokio::task::spawn_blocking`).
///
/// Bounded: the header's dimensions are checked against [`IMAGE_MAX_PIXELS`] before
/// any pixel is decoded (a tiny file can claim a huge canvas), the decoder may
/// allocate at most [`MAX_DECODE_BYTES`], and pictures with more than 8 bits per
/// channel are turned into 8 bits right away, before any further work.
pub fn process(bytes: &[u8]) -> Result<ProcessedImage, Invalid> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(Invalid::ImageTooLarge { max_mb: MAX_IMAGE_BYTES / (1024 * 1024) });
    }
    let format = image::guess_format(bytes).map_err(|_| Invalid::ImageFormat)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(Invalid::ImageFormat);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(Invalid::ImageFormat);
    }
    if u64::from(w) * u64::from(h) > IMAGE_MAX_PIXELS || decoder.total_bytes() > MAX_DECODE_BYTES {
        return Err(Invalid::ImageDimensions);
    }
    let orientation = decoder.orientation().ok();
    let img = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    let mut img = to_8_bit(img);
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let display = scale_down(&img, IMAGE_DISPLAY_MAX, FilterType::CatmullRom);
    drop(img);
    let thumb = scale_down(&display, IMAGE_THUMB_MAX, FilterType::Triangle);
    let display_rgb = flatten(&display);
    let (width, height) = display_rgb.dimensions();
    let display = encode_jpeg(&display_rgb)?;
    let thumb = encode_jpeg(&flatten(&thumb))?;
    let hash = hex::encode(Sha256::digest(&display));
    Ok(ProcessedImage { image: ImageRef { hash, width, height }, display, thumb })
}

fn decode_error(e: image::ImageError) -> Invalid {
    match e {
        image::ImageError::Limits(_) => Invalid::ImageDimensions,
        _ => Invalid::ImageFormat,
    }
}

/// 16-bit and floating-point pictures as 8 bits per channel (JPEG has no more, and the
/// scaling steps would otherwise work on twice or four times the memory).
fn to_8_bit(img: DynamicImage) -> DynamicImage {
    match img {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => img,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// Fits the picture into `max` × `max`. Large reductions first average blocks of
/// pixels (`thumbnail`, no floating-point copy of the whole picture), then the filter
/// does the last factor of two or less, so memory stays near the decoded picture's.
fn scale_down(img: &DynamicImage, max: u32, filter: FilterType) -> DynamicImage {
    if img.width() <= max && img.height() <= max {
        return img.clone();
    }
    if img.width().max(img.height()) > 2 * max {
        img.thumbnail(2 * max, 2 * max).resize(max, max, filter)
    } else {
        img.resize(max, max, filter)
    }
}

/// RGB without alpha: transparent parts become white (JPEG has no transparency).
fn flatten(img: &DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let mix = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([mix(r), mix(g), mix(b)])
    })
}

fn encode_jpeg(img: &RgbImage) -> Result<Vec<u8>, Invalid> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(img)
        .map_err(|_| Invalid::ImageFormat)?;
    Ok(out)
}

/// Where image files live: `images/<2 hex>/<hash>.jpg` and `…-thumb.jpg` in the
/// [`Storage`] (the data directory, or an object store shared by every instance).
#[derive(Debug, Clone)]
pub struct ImageStore {
    storage: Storage,
}

/// The two files of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Display,
    Thumb,
}

impl ImageStore {
    /// Images in `storage`.
    pub fn new(storage: Storage) -> Self {
        ImageStore { storage }
    }

    /// Images under `<data_dir>/images`.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        // A relative path is made absolute against the working directory, which
        // always exists; nothing else can fail before the first write.
        ImageStore::new(Storage::local(data_dir).unwrap_or_else(|e| {
            panic!("the data directory {} cannot be used: {e}", data_dir.display())
        }))
    }

    /// Writes both files (each whole: a reader never sees half of one). An image
    /// already stored is written again, which marks it fresh for [`Self::prune`].
    pub async fn save(&self, p: &ProcessedImage) -> Result<ImageRef, StorageError> {
        self.storage.put(&key(&p.image.hash, Variant::Thumb), p.thumb.clone()).await?;
        self.storage.put(&key(&p.image.hash, Variant::Display), p.display.clone()).await?;
        Ok(p.image.clone())
    }

    /// Whether the file of an image is stored. `hash` must pass [`ImageRef::is_hash`].
    pub async fn contains(&self, hash: &str, variant: Variant) -> Result<bool, StorageError> {
        self.storage.contains(&key(hash, variant)).await
    }

    /// Removes the files of images whose hash is not in `in_use`, once they have not
    /// been written or reused for `grace` (a listing being saved writes its files just
    /// before its row; reusing a stored image writes it again). Leftover temporary files
    /// go the same way. A file another instance removed first is no error. Returns how
    /// many images were removed.
    pub async fn prune(
        &self,
        in_use: std::collections::HashSet<String>,
        grace: std::time::Duration,
    ) -> Result<usize, StorageError> {
        let now = crate::clock::now().millis();
        let grace = i64::try_from(grace.as_millis()).unwrap_or(i64::MAX);
        let mut removed = 0;
        for stored in self.storage.list("images").await? {
            let name = stored.key.rsplit('/').next().unwrap_or_default();
            // "<hash>.jpg", "<hash>-thumb.jpg", or a temporary "<hash>[-thumb].tmp<uuid>"
            let stem = name.split_once('.').map_or(name, |(stem, _)| stem);
            let hash = stem.strip_suffix("-thumb").unwrap_or(stem);
            let temporary = !name.ends_with(".jpg");
            if !temporary && in_use.contains(hash) {
                continue;
            }
            if now.saturating_sub(stored.modified_ms) >= grace {
                self.storage.delete(&stored.key).await?;
                if !temporary && !stem.ends_with("-thumb") {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    /// Reads an image file for serving: `name` is `<hash>.jpg` or `<hash>-thumb.jpg`.
    /// `None` for anything else or a file that does not exist (a storage fault is
    /// logged and also answered "not found").
    pub async fn read(&self, name: &str) -> Option<Vec<u8>> {
        let stem = name.strip_suffix(".jpg")?;
        let (hash, variant) = match stem.strip_suffix("-thumb") {
            Some(h) => (h, Variant::Thumb),
            None => (stem, Variant::Display),
        };
        if !ImageRef::is_hash(hash) {
            return None;
        }
        match self.storage.get(&key(hash, variant)).await {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read a stored image");
                None
            }
        }
    }
}

/// The key of an image's file. `hash` must pass [`ImageRef::is_hash`].
fn key(hash: &str, variant: Variant) -> String {
    let name = match variant {
        Variant::Display => format!("{hash}.jpg"),
        Variant::Thumb => format!("{hash}-thumb.jpg"),
    };
    format!("images/{}/{name}", &hash[..2.min(hash.len())])
}

/// Test pictures made in memory.
#[cfg(any(test, feature = "test-images"))]
pub mod samples {
    use image::{ImageFormat, Rgba, RgbaImage};
    use std::io::Cursor;

    /// A `w`×`h` picture with a colour gradient, encoded in `format`.
    pub fn encoded(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
        let img = RgbaImage::from_fn(w, h, |x, y| {
            Rgba([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 120, 255])
        });
        let mut out = Cursor::new(Vec::new());
        let dynamic = image::DynamicImage::ImageRgba8(img);
        match format {
            ImageFormat::Jpeg => dynamic.to_rgb8().write_to(&mut out, format),
            _ => dynamic.write_to(&mut out, format),
        }
        .expect("encodes");
        out.into_inner()
    }

    /// A decompression bomb: a PNG of a few dozen bytes whose header claims a `w`×`h`
    /// canvas of `bits`-bit RGBA pixels, followed by a tiny compressed stream. A decoder
    /// that believed the header would allocate `w * h * 4 * bits / 8` bytes.
    pub fn png_bomb(w: u32, h: u32, bits: u8) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[bits, 6, 0, 0, 0]); // RGBA, deflate, no interlace
        chunk(&mut out, b"IHDR", &ihdr);
        // zlib: one stored, empty, final block
        chunk(&mut out, b"IDAT", &[0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0, 0, 0, 1]);
        chunk(&mut out, b"IEND", &[]);
        out
    }

    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn prune_keeps_what_is_in_use_and_young_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageStore::in_data_dir(dir.path());
        let saved: Vec<ImageRef> = save_samples(&store, &[(30, 20), (40, 20)]).await;
        let (kept, dropped) = (&saved[0].hash, &saved[1].hash);
        let shard = dir.path().join("images").join(&dropped[..2]);
        std::fs::write(shard.join(format!("{dropped}.tmp0123")), b"half written").unwrap();
        let in_use: std::collections::HashSet<String> = [kept.clone()].into();
        let hour = std::time::Duration::from_secs(3600);
        assert_eq!(store.prune(in_use.clone(), hour).await.unwrap(), 0, "all young");
        assert_eq!(store.prune(in_use, std::time::Duration::ZERO).await.unwrap(), 1);
        // (A folder left empty goes too.)
        let left: Vec<String> = [shard, dir.path().join("images").join(&kept[..2])]
            .iter()
            .filter(|d| d.exists())
            .flat_map(|d| std::fs::read_dir(d).unwrap())
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with(dropped.as_str()) || n.starts_with(kept.as_str()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(left, [format!("{kept}-thumb.jpg"), format!("{kept}.jpg")]);
        // nothing stored yet is nothing to do
        let empty = ImageStore::in_data_dir(&dir.path().join("none"));
        assert_eq!(empty.prune(Default::default(), hour).await.unwrap(), 0);
    }

    async fn save_samples(store: &ImageStore, sizes: &[(u32, u32)]) -> Vec<ImageRef> {
        let mut saved = Vec::new();
        for &(w, h) in sizes {
            let p = process(&samples::encoded(w, h, ImageFormat::Png)).unwrap();
            saved.push(store.save(&p).await.unwrap());
        }
        saved
    }

    #[test]
    fn jpeg_png_and_webp_are_reencoded_and_scaled() {
        for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
            let p = process(&samples::encoded(2000, 1000, format)).unwrap();
            assert_eq!((p.image.width, p.image.height), (1600, 800), "{format:?}");
            assert!(ImageRef::is_hash(&p.image.hash));
            assert_eq!(image::guess_format(&p.display).unwrap(), ImageFormat::Jpeg);
            let thumb = image::load_from_memory(&p.thumb).unwrap();
            assert_eq!((thumb.width(), thumb.height()), (480, 240));
        }
    }

    #[test]
    fn decompression_bombs_are_refused_before_decoding() {
        // 100,000 × 100,000 pixels claimed by a 70-byte file
        let bomb = samples::png_bomb(100_000, 100_000, 8);
        assert!(bomb.len() < 100);
        assert_eq!(process(&bomb).unwrap_err(), Invalid::ImageDimensions);
        // within the pixel limit, but 16 bits per channel: 288 MB of pixels
        assert_eq!(
            process(&samples::png_bomb(6000, 6000, 16)).unwrap_err(),
            Invalid::ImageDimensions
        );
        // a real picture at 16 bits per channel is fine, and stored at 8
        let img = image::DynamicImage::ImageRgba16(image::ImageBuffer::from_fn(64, 48, |x, _| {
            image::Rgba([(x * 1000) as u16, 40_000, 65_535, 65_535])
        }));
        let mut png = std::io::Cursor::new(Vec::new());
        img.write_to(&mut png, ImageFormat::Png).unwrap();
        let p = process(&png.into_inner()).unwrap();
        assert_eq!((p.image.width, p.image.height), (64, 48));
    }

    #[test]
    fn large_pictures_are_scaled_in_steps_to_the_same_size() {
        let p = process(&samples::encoded(5000, 2500, ImageFormat::Png)).unwrap();
        assert_eq!((p.image.width, p.image.height), (1600, 800));
        let thumb = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (480, 240));
    }

    #[test]
    fn small_images_keep_their_size() {
        let p = process(&samples::encoded(300, 200, ImageFormat::Png)).unwrap();
        assert_eq!((p.image.width, p.image.height), (300, 200));
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(process(b"this is not a picture").unwrap_err(), Invalid::ImageFormat);
        assert_eq!(process(b"").unwrap_err(), Invalid::ImageFormat);
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert_eq!(process(gif).unwrap_err(), Invalid::ImageFormat);
        // a JPEG header with nothing behind it
        assert_eq!(process(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).unwrap_err(), Invalid::ImageFormat);
        let big = vec![0u8; MAX_IMAGE_BYTES + 1];
        assert!(matches!(process(&big).unwrap_err(), Invalid::ImageTooLarge { max_mb: 10 }));
    }

    #[test]
    fn names_outside_the_scheme_are_not_read() {
        let store = ImageStore::in_data_dir(Path::new("/nonexistent"));
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(async {
            assert!(store.read("../../etc/passwd").await.is_none());
            assert!(store.read(&format!("{}.png", "a".repeat(64))).await.is_none());
            assert!(store.read(&format!("{}.jpg", "A".repeat(64))).await.is_none());
        });
        let k = key(&"ab".repeat(32), Variant::Thumb);
        assert_eq!(k, format!("images/ab/{}-thumb.jpg", "ab".repeat(32)));
    }

    #[tokio::test]
    async fn saving_twice_keeps_one_copy() {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageStore::in_data_dir(dir.path());
        let p = process(&samples::encoded(64, 64, ImageFormat::Png)).unwrap();
        let r = store.save(&p).await.unwrap();
        store.save(&p).await.unwrap();
        assert_eq!(store.read(&format!("{}.jpg", r.hash)).await.unwrap(), p.display);
        assert_eq!(store.read(&format!("{}-thumb.jpg", r.hash)).await.unwrap(), p.thumb);
        let files = std::fs::read_dir(dir.path().join("images").join(&r.hash[..2])).unwrap();
        assert_eq!(files.count(), 2);
    }
}
