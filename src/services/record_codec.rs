//! How a record is read from and written to IndexedDB. Serde for records is about 23 KB of the
//! participant's first load, so the codec comes in the later chunk with the record forms: the
//! profile form opens before it, and no record can change until it is here.

use networkshop_core::workspace::LocalRecord;

use crate::components::later::{later_fn, ChunkMissing};

#[derive(Clone, Copy)]
pub struct RecordCodec {
    /// `None` for a record this build cannot read (it stays stored, untouched).
    pub decode: fn(&str) -> Option<LocalRecord>,
    pub encode: fn(&LocalRecord) -> Option<String>,
}

later_fn! {
    pub fn record_codec() -> Result<RecordCodec, ChunkMissing> {
        Ok(RecordCodec {
            decode: |json| serde_json::from_str(json).ok(),
            encode: |local| serde_json::to_string(local).ok(),
        })
    }
}
