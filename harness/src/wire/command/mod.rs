//! Client commands, valid by construction: validated values, the command tree, the encoder
//! (atom / quoted / literal choice, synchronising and LITERAL+ literals) and a strict parser
//! named after the ABNF rules of RFC 3501 §9.

mod ast;
mod auth;
mod datetime;
mod encode;
mod error;
mod extension;
mod fetch;
mod flag;
mod mailbox;
mod parse;
mod search;
mod section;
mod sequence;
pub mod strategy;
mod utf7;
mod values;

pub use ast::{
    Append, Command, CommandBody, Experimental, Fetch, List, ListReturnOpt, ListSelectOpt, Qresync,
    Search, Select, Store, StoreMode,
};
pub use auth::{AuthenticateData, Base64, IdleDone, InitialResponse};
pub use datetime::{Date, DateTime, Zone};
pub use encode::{EncodeOptions, Encoded, Fragment, LITERAL_MINUS_MAX};
pub use error::ValueError;
pub use extension::{GetMetadata, MetadataDepth, Sort, SortCriterion, SortKey, Thread};
pub use fetch::{FetchAtt, FetchItems, StatusAtt};
pub use flag::{Flag, FlagExtension};
pub use mailbox::{ListMailbox, Mailbox, OtherMailbox};
pub use parse::{parse_authenticate_data, parse_command, parse_idle_done};
pub use search::{SearchKey, SearchReturnOpt};
pub use section::{Partial, Section, SectionMsgtext, SectionPart, SectionText};
pub use sequence::{SeqItem, SeqNumber, SequenceSet};
pub use utf7::{decode_modified_utf7, encode_modified_utf7};
pub use values::{
    AString, Atom, Charset, IString, LiteralData, MAX_MOD_SEQ, ModSeq, ModSeqValzer, NonEmpty, Tag,
};

// Tests may panic on a broken fixture; that is their way of failing.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
