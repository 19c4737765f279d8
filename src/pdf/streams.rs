//! Decoding stream data under the [`Limits`](super::Limits) byte caps.
//!
//! Decompression goes through lopdf's bounded decoders
//! (`Stream::decompressed_content_with_limit`), which stop reading one byte
//! past the cap, so a decompression bomb never allocates more than the cap.

use lopdf::Stream;

/// Why a stream's data could not be used.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StreamError {
    /// Inflates beyond `max_stream_bytes`.
    TooLarge,
    /// Would push the document past `max_document_bytes`; extraction must stop.
    DocumentBudget,
    /// Unsupported filter or data that does not decode.
    Undecodable(String),
}

/// Decodes streams and counts the decoded bytes of the whole document.
#[derive(Debug)]
pub(crate) struct StreamReader {
    max_stream: usize,
    max_document: usize,
    used: usize,
    /// Set once a stream hit the document budget; the caller turns it into an error.
    pub budget_exceeded: bool,
}

impl StreamReader {
    pub fn new(max_stream: usize, max_document: usize) -> StreamReader {
        StreamReader { max_stream, max_document, used: 0, budget_exceeded: false }
    }

    /// The decoded data of `stream`, counted against the document budget.
    ///
    /// A Flate stream whose data does not inflate at all comes back from
    /// lopdf as empty (lopdf logs and swallows zlib errors); that is reported
    /// as [`StreamError::Undecodable`]. A stream that inflates partway yields
    /// the bytes inflated before the damage, which lopdf does not flag.
    pub fn decode(&mut self, stream: &Stream) -> Result<Vec<u8>, StreamError> {
        if self.budget_exceeded {
            return Err(StreamError::DocumentBudget);
        }
        let remaining = self.max_document.saturating_sub(self.used);
        let cap = self.max_stream.min(remaining);
        let data = match stream.decompressed_content_with_limit(cap) {
            Ok(data) => data,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
                return Err(self.over_cap(cap));
            }
            Err(e) => return Err(StreamError::Undecodable(e.to_string())),
        };
        if data.len() > cap {
            return Err(self.over_cap(cap));
        }
        let filtered = stream.filters().is_ok_and(|f| !f.is_empty());
        if data.is_empty() && filtered && !stream.content.is_empty() && !inflates_to_nothing(stream) {
            return Err(StreamError::Undecodable("compressed data does not inflate".into()));
        }
        self.used += data.len();
        Ok(data)
    }

    fn over_cap(&mut self, cap: usize) -> StreamError {
        if cap < self.max_stream {
            self.budget_exceeded = true;
            StreamError::DocumentBudget
        } else {
            StreamError::TooLarge
        }
    }
}

/// Whether a stream is one `FlateDecode` stream of valid zlib data that
/// inflates to zero bytes (a producer's empty page), which lopdf returns the
/// same way as data that does not inflate at all.
fn inflates_to_nothing(stream: &Stream) -> bool {
    use std::io::Read;
    let single_flate = stream.filters().is_ok_and(|f| matches!(f.as_slice(), [name] if *name == b"FlateDecode"));
    if !single_flate {
        return false;
    }
    let mut out = [0u8; 1];
    let mut decoder = flate2::read::ZlibDecoder::new(stream.content.as_slice());
    matches!(decoder.read(&mut out), Ok(0))
}
