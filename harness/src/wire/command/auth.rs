//! SASL data of AUTHENTICATE (RFC 3501 §6.2.2, SASL-IR RFC 4959) and the client lines that
//! answer a continuation request outside any command: base64 data, `*` and IDLE's `DONE`.

use super::error::ValueError;
use super::values::{check_each, check_non_empty};

/// `base64 = *(4base64-char) [base64-terminal]`, kept as text. May be empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Base64(String);

impl Base64 {
    pub fn new(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        check_each(text.as_bytes(), "base64", |b| {
            b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
        })?;
        if !is_canonical_base64(text.as_bytes()) {
            return Err(ValueError::Base64 {
                reason: "length not a multiple of four or misplaced padding",
            });
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Groups of four, `=` only as the last one or two characters of the last group.
fn is_canonical_base64(text: &[u8]) -> bool {
    if !text.len().is_multiple_of(4) {
        return false;
    }
    let body_len = text.iter().take_while(|&&b| b != b'=').count();
    let padding = &text[body_len..];
    padding.len() <= 2 && padding.iter().all(|&b| b == b'=')
}

/// SASL-IR `initial-response = base64 / "="`; `=` stands for an empty response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InitialResponse {
    Empty,
    Data(Base64),
}

impl InitialResponse {
    /// Non-empty base64 data (empty data is [`InitialResponse::Empty`]).
    pub fn data(base64: Base64) -> Result<Self, ValueError> {
        check_non_empty(base64.as_str().as_bytes(), "initial response")?;
        Ok(Self::Data(base64))
    }
}

/// A client line answering an AUTHENTICATE continuation: data, or `*` to cancel.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthenticateData {
    Data(Base64),
    Cancel,
}

/// IDLE's terminating line (RFC 2177): `"DONE" CRLF`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdleDone;
