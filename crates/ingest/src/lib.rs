//! warden-ingest: read logs from wherever they are and decode them into
//! borrowed [`warden_core::EventView`]s.
//!
//! * [`input`] expands arguments (files, directories, globs, `-`) in order.
//! * [`open`] opens one input and transparently decompresses gzip, including
//!   multi-member files as CloudTrail writes them.
//! * [`decode`] detects the layout of each file and streams records through
//!   the field-extracting [`scan`]ner with bounded memory.
//!
//! Nothing here panics on input: every problem becomes an
//! [`decode::IngestError`] naming the file and record, and decoding goes on.

pub mod decode;
pub mod input;
pub mod scan;

use std::io::{BufRead, BufReader, Read};

pub use decode::{DecodeOptions, Decoder, FileStats, IngestError, RecordPos, Sink};
pub use input::{expand, Input, InputError};

/// Open an input for reading, decompressing gzip when the data starts with
/// the gzip magic bytes (whatever the file is called).
pub fn open(input: &Input) -> std::io::Result<Box<dyn Read + Send>> {
    let raw: Box<dyn Read + Send> = match input {
        Input::Stdin => Box::new(std::io::stdin()),
        Input::File(p) => Box::new(std::fs::File::open(p)?),
    };
    open_reader(raw)
}

/// Wrap any reader, decompressing gzip when its first bytes say so.
pub fn open_reader(raw: Box<dyn Read + Send>) -> std::io::Result<Box<dyn Read + Send>> {
    let mut br = BufReader::with_capacity(256 << 10, raw);
    let head = br.fill_buf()?;
    if head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b {
        Ok(Box::new(flate2::bufread::MultiGzDecoder::new(br)))
    } else {
        Ok(Box::new(br))
    }
}
