//! Flags as the model keeps them: interned ids, compared case-insensitively (RFC 3501 §9
//! note 1 for system flags; servers also fold keyword case, e.g. go-imap lowercases them,
//! so the model treats `$Label1` and `$label1` as one keyword rather than report that).

use std::collections::HashMap;

use crate::wire::command::Flag as CommandFlag;
use crate::wire::grammar::Flag as WireFlag;

/// An interned flag. The system flags have fixed ids.
pub type FlagId = u32;

pub const ANSWERED: FlagId = 0;
pub const FLAGGED: FlagId = 1;
pub const DELETED: FlagId = 2;
pub const SEEN: FlagId = 3;
pub const DRAFT: FlagId = 4;
pub const RECENT: FlagId = 5;
/// `\*` in PERMANENTFLAGS: new keywords may be created.
pub const WILDCARD: FlagId = 6;

const SYSTEM_NAMES: [&str; 7] = [
    "\\Answered",
    "\\Flagged",
    "\\Deleted",
    "\\Seen",
    "\\Draft",
    "\\Recent",
    "\\*",
];

/// Interns keyword and extension flags (lower-cased, extensions keep their backslash).
#[derive(Debug, Clone)]
pub struct FlagTable {
    ids: HashMap<Box<[u8]>, FlagId>,
    names: Vec<String>,
}

impl Default for FlagTable {
    fn default() -> Self {
        FlagTable {
            ids: HashMap::new(),
            names: SYSTEM_NAMES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl FlagTable {
    /// The id of a flag as a response carries it.
    pub fn wire(&mut self, flag: &WireFlag<'_>) -> FlagId {
        match flag {
            WireFlag::Answered => ANSWERED,
            WireFlag::Flagged => FLAGGED,
            WireFlag::Deleted => DELETED,
            WireFlag::Seen => SEEN,
            WireFlag::Draft => DRAFT,
            WireFlag::Recent => RECENT,
            WireFlag::Wildcard => WILDCARD,
            WireFlag::Keyword(k) => self.intern(b"", k.as_bytes()),
            WireFlag::Extension(e) => self.intern(b"\\", e.as_bytes()),
        }
    }

    /// The id of a flag as a command carries it.
    pub fn command(&mut self, flag: &CommandFlag) -> FlagId {
        match flag {
            CommandFlag::Answered => ANSWERED,
            CommandFlag::Flagged => FLAGGED,
            CommandFlag::Deleted => DELETED,
            CommandFlag::Seen => SEEN,
            CommandFlag::Draft => DRAFT,
            CommandFlag::Keyword(k) => self.intern(b"", k.as_str().as_bytes()),
            CommandFlag::Extension(e) => self.intern(b"\\", e.as_atom().as_str().as_bytes()),
        }
    }

    /// A set of wire flags.
    pub fn wire_set(&mut self, flags: &[WireFlag<'_>]) -> FlagSet {
        FlagSet::from_ids(flags.iter().map(|f| self.wire(f)))
    }

    /// The name of `id` for reports (keywords in the case first seen).
    pub fn name(&self, id: FlagId) -> &str {
        self.names.get(id as usize).map_or("?", String::as_str)
    }

    /// `(\Seen $x)` for reports.
    pub fn show(&self, set: &FlagSet) -> String {
        let names: Vec<&str> = set.iter().map(|id| self.name(id)).collect();
        format!("({})", names.join(" "))
    }

    fn intern(&mut self, prefix: &[u8], name: &[u8]) -> FlagId {
        let mut key = Vec::with_capacity(prefix.len() + name.len());
        key.extend_from_slice(prefix);
        key.extend(name.iter().map(u8::to_ascii_lowercase));
        if let Some(&id) = self.ids.get(key.as_slice()) {
            return id;
        }
        let id = self.names.len() as FlagId;
        let mut shown = String::from_utf8_lossy(prefix).into_owned();
        shown.push_str(&String::from_utf8_lossy(name));
        self.names.push(shown);
        self.ids.insert(key.into_boxed_slice(), id);
        id
    }
}

/// Whether `id` is a keyword (not a system flag nor a `\` extension).
pub fn is_keyword(table: &FlagTable, id: FlagId) -> bool {
    id > WILDCARD && !table.name(id).starts_with('\\')
}

/// A small sorted set of flag ids (messages carry a handful of flags).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FlagSet(Vec<FlagId>);

impl FlagSet {
    pub fn from_ids(ids: impl IntoIterator<Item = FlagId>) -> Self {
        let mut v: Vec<FlagId> = ids.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        FlagSet(v)
    }

    pub fn contains(&self, id: FlagId) -> bool {
        self.0.binary_search(&id).is_ok()
    }

    pub fn insert(&mut self, id: FlagId) {
        if let Err(at) = self.0.binary_search(&id) {
            self.0.insert(at, id);
        }
    }

    pub fn remove(&mut self, id: FlagId) {
        if let Ok(at) = self.0.binary_search(&id) {
            self.0.remove(at);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = FlagId> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}
