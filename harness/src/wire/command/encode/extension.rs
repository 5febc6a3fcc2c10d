//! Encoding of the extension commands of `extension.rs`.

use super::body::mailbox;
use super::items::search_key;
use super::writer::Writer;
use crate::wire::command::extension::{GetMetadata, MetadataDepth, Sort, SortKey, Thread};
use crate::wire::command::search::SearchKey;
use crate::wire::command::values::{Charset, NonEmpty};

pub(super) fn sort(w: &mut Writer, sort: &Sort) {
    if sort.uid {
        w.raw(b"UID ");
    }
    w.raw(b"SORT ");
    w.list(sort.criteria.as_slice(), |w, criterion| {
        if criterion.reverse {
            w.raw(b"REVERSE ");
        }
        w.raw(sort_key_name(criterion.key));
    });
    w.sp();
    search_criteria(w, &sort.charset, &sort.search);
}

fn sort_key_name(key: SortKey) -> &'static [u8] {
    match key {
        SortKey::Arrival => b"ARRIVAL",
        SortKey::Cc => b"CC",
        SortKey::Date => b"DATE",
        SortKey::From => b"FROM",
        SortKey::Size => b"SIZE",
        SortKey::Subject => b"SUBJECT",
        SortKey::To => b"TO",
    }
}

pub(super) fn thread(w: &mut Writer, thread: &Thread) {
    if thread.uid {
        w.raw(b"UID ");
    }
    w.raw(b"THREAD ");
    w.raw(thread.algorithm.as_str().as_bytes());
    w.sp();
    search_criteria(w, &thread.charset, &thread.search);
}

/// `search-criteria = charset 1*(SP search-key)` (RFC 5256)
fn search_criteria(w: &mut Writer, charset: &Charset, keys: &NonEmpty<SearchKey>) {
    w.astring(charset.as_str().as_bytes());
    for key in keys {
        w.sp();
        search_key(w, key);
    }
}

pub(super) fn get_metadata(w: &mut Writer, get: &GetMetadata) {
    w.raw(b"GETMETADATA ");
    let mut options: Vec<Vec<u8>> = Vec::new();
    if let Some(size) = get.max_size {
        options.push(format!("MAXSIZE {size}").into_bytes());
    }
    if let Some(depth) = get.depth {
        options.push(match depth {
            MetadataDepth::Zero => b"DEPTH 0".to_vec(),
            MetadataDepth::One => b"DEPTH 1".to_vec(),
            MetadataDepth::Infinity => b"DEPTH infinity".to_vec(),
        });
    }
    if !options.is_empty() {
        w.list(&options, |w, option| w.raw(option));
        w.sp();
    }
    mailbox(w, &get.mailbox);
    w.sp();
    match get.entries.as_slice() {
        [one] => w.astring(one.as_bytes()),
        many => w.list(many, |w, entry| w.astring(entry.as_bytes())),
    }
}
