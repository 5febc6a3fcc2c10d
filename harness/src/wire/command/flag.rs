//! Flags a client may set: `flag` of RFC 3501 §9 (no `\Recent`, which only the server sets,
//! and no `\*`, which only appears in PERMANENTFLAGS).

use super::error::ValueError;
use super::values::Atom;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Flag {
    Answered,
    Flagged,
    Deleted,
    Seen,
    Draft,
    /// `flag-keyword = atom`
    Keyword(Atom),
    /// `flag-extension = "\" atom`, for system flags defined after RFC 3501.
    Extension(FlagExtension),
}

/// The atom after `\` in a `flag-extension`; never one of the five RFC 3501 system flags
/// (those have variants) and never `Recent`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FlagExtension(Atom);

impl FlagExtension {
    pub fn as_atom(&self) -> &Atom {
        &self.0
    }
}

const SYSTEM: [(&str, Flag); 5] = [
    ("Answered", Flag::Answered),
    ("Flagged", Flag::Flagged),
    ("Deleted", Flag::Deleted),
    ("Seen", Flag::Seen),
    ("Draft", Flag::Draft),
];

impl Flag {
    pub fn keyword(name: impl Into<String>) -> Result<Self, ValueError> {
        Ok(Self::Keyword(Atom::new(name)?))
    }

    /// `\name`: a system flag when `name` is one of RFC 3501's, else a flag extension.
    pub fn system(name: impl Into<String>) -> Result<Self, ValueError> {
        let atom = Atom::new(name)?;
        if let Some(flag) = system_flag(atom.as_str()) {
            return Ok(flag);
        }
        if atom.as_str().eq_ignore_ascii_case("Recent") {
            return Err(ValueError::RecentFlag);
        }
        Ok(Self::Extension(FlagExtension(atom)))
    }

    /// The wire spelling without the leading backslash, with `is_system` telling whether a
    /// backslash precedes it.
    pub fn name(&self) -> (bool, &str) {
        match self {
            Self::Answered => (true, "Answered"),
            Self::Flagged => (true, "Flagged"),
            Self::Deleted => (true, "Deleted"),
            Self::Seen => (true, "Seen"),
            Self::Draft => (true, "Draft"),
            Self::Keyword(atom) => (false, atom.as_str()),
            Self::Extension(ext) => (true, ext.0.as_str()),
        }
    }
}

fn system_flag(name: &str) -> Option<Flag> {
    SYSTEM
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, flag)| flag.clone())
}
