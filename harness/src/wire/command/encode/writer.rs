//! The byte writer behind the encoder: it owns the atom / quoted / literal decision.

use super::{EncodeOptions, Encoded, Fragment, LITERAL_MINUS_MAX};
use crate::wire::grammar::chars::{is_astring_char, is_list_char};
use crate::wire::grammar::encode::{
    Sink, is_bare, is_quotable, write_literal_len, write_number, write_quoted,
};

pub(super) struct Writer {
    options: EncodeOptions,
    fragments: Vec<Fragment>,
    line: Vec<u8>,
}

impl Writer {
    pub(super) fn new(options: EncodeOptions) -> Self {
        Self {
            options,
            fragments: Vec::new(),
            line: Vec::with_capacity(64),
        }
    }

    pub(super) fn raw(&mut self, bytes: &[u8]) {
        self.line.extend_from_slice(bytes);
    }

    pub(super) fn number(&mut self, n: u64) {
        write_number(&mut self.line, n);
    }

    /// Lends the current line to one of the shared grammar writers.
    pub(super) fn with_line(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        write(&mut self.line);
    }

    pub(super) fn sp(&mut self) {
        self.line.push(b' ');
    }

    /// `astring`: bare when every byte is an ASTRING-CHAR, else a string.
    pub(super) fn astring(&mut self, bytes: &[u8]) {
        if is_bare(bytes, is_astring_char) {
            self.raw(bytes);
        } else {
            self.string(bytes);
        }
    }

    /// `list-mailbox = 1*list-char / string`: wildcards may stay bare.
    pub(super) fn list_mailbox(&mut self, bytes: &[u8]) {
        if is_bare(bytes, is_list_char) {
            self.raw(bytes);
        } else {
            self.string(bytes);
        }
    }

    /// `string = quoted / literal`: quoted when every byte is a TEXT-CHAR (7-bit, no CR/LF),
    /// else a literal.
    pub(super) fn string(&mut self, bytes: &[u8]) {
        if is_quotable(bytes) {
            write_quoted(&mut self.line, bytes);
        } else {
            self.literal(bytes);
        }
    }

    /// `nstring = string / nil`
    pub(super) fn nstring(&mut self, bytes: Option<&[u8]>) {
        match bytes {
            Some(bytes) => self.string(bytes),
            None => self.raw(b"NIL"),
        }
    }

    /// `literal = "{" number ["+"] "}" CRLF *CHAR8`; the line so far becomes a fragment.
    pub(super) fn literal(&mut self, data: &[u8]) {
        let sync = !(self.options.literal_plus
            || (self.options.literal_minus && data.len() <= LITERAL_MINUS_MAX));
        write_literal_len(&mut self.line, data.len(), !sync);
        let line = std::mem::take(&mut self.line);
        self.fragments.push(Fragment::Line(line));
        self.fragments.push(Fragment::Literal {
            data: data.to_vec(),
            sync,
        });
    }

    /// Terminates the command with CRLF.
    pub(super) fn finish(mut self) -> Encoded {
        self.raw(b"\r\n");
        self.fragments.push(Fragment::Line(self.line));
        Encoded {
            fragments: self.fragments,
        }
    }

    /// A parenthesized, space-separated list.
    pub(super) fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        self.raw(b"(");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.sp();
            }
            each(self, item);
        }
        self.raw(b")");
    }
}

/// Lets the grammar's writers (`section`, …) write into a command: an astring that needs a
/// literal ends the line there.
impl Sink for Writer {
    fn raw(&mut self, bytes: &[u8]) {
        Writer::raw(self, bytes);
    }

    fn astring(&mut self, bytes: &[u8]) {
        Writer::astring(self, bytes);
    }

    fn number(&mut self, n: u64) {
        Writer::number(self, n);
    }
}
