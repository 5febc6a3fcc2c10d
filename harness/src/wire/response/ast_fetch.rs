//! The FETCH part of the AST: `msg-att`, `envelope`, `body` (`section` is shared with the
//! commands, in the grammar).

use crate::wire::grammar::{Bytes, DateTime, Flag, NString, Section};

/// One `msg-att-dynamic` / `msg-att-static` item (plus the extension items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MsgAtt<'a> {
    /// `"FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"`
    Flags(Vec<Flag<'a>>),
    Envelope(Box<Envelope<'a>>),
    InternalDate(DateTime),
    Rfc822(NString<'a>),
    Rfc822Header(NString<'a>),
    Rfc822Text(NString<'a>),
    Rfc822Size(u32),
    /// `"BODY" SP body`: non-extensible, so no extension data inside.
    Body(Box<Body<'a>>),
    /// `"BODYSTRUCTURE" SP body`
    BodyStructure(Box<Body<'a>>),
    /// `"BODY" section ["<" number ">"] SP nstring`
    BodySection {
        section: Section<'a>,
        origin: Option<u32>,
        data: NString<'a>,
    },
    /// `"UID" SP uniqueid`
    Uid(u32),
    /// `"MODSEQ" SP "(" permsg-modsequence ")"` (RFC 7162)
    ModSeq(u64),
    /// `"BINARY" section-binary ["<" number ">"] SP (nstring / literal8)` (RFC 3516)
    Binary {
        section: Vec<u32>,
        origin: Option<u32>,
        data: NString<'a>,
    },
    /// `"BINARY.SIZE" section-binary SP number` (RFC 3516)
    BinarySize {
        section: Vec<u32>,
        size: u32,
    },
    /// `atom SP (nstring / number / "(" ... ")")`: an item no typed rule knows
    /// (`PREVIEW`, `EMAILID`, `SAVEDATE`, ...), the value kept as sent.
    Extension {
        name: Bytes<'a>,
        value: Bytes<'a>,
    },
}

/// `envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP
/// env-to SP env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"`
///
/// Address lists are `"(" 1*address ")" / nil`: empty means NIL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Envelope<'a> {
    pub date: NString<'a>,
    pub subject: NString<'a>,
    pub from: Vec<Address<'a>>,
    pub sender: Vec<Address<'a>>,
    pub reply_to: Vec<Address<'a>>,
    pub to: Vec<Address<'a>>,
    pub cc: Vec<Address<'a>>,
    pub bcc: Vec<Address<'a>>,
    pub in_reply_to: NString<'a>,
    pub message_id: NString<'a>,
}

/// `address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address<'a> {
    pub name: NString<'a>,
    pub adl: NString<'a>,
    pub mailbox: NString<'a>,
    pub host: NString<'a>,
}

/// `body = "(" (body-type-1part / body-type-mpart) ")"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body<'a> {
    Single(SinglePart<'a>),
    Multipart(Multipart<'a>),
}

/// `body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinglePart<'a> {
    pub kind: SingleKind<'a>,
    pub fields: BodyFields<'a>,
    pub ext: Option<Ext1Part<'a>>,
}

/// The three shapes of a single part, chosen by its media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SingleKind<'a> {
    /// `body-type-basic = media-basic SP body-fields`
    Basic {
        media_type: Bytes<'a>,
        subtype: Bytes<'a>,
    },
    /// `body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines`
    Message {
        envelope: Box<Envelope<'a>>,
        body: Box<Body<'a>>,
        lines: u32,
    },
    /// `body-type-text = media-text SP body-fields SP body-fld-lines`
    Text { subtype: Bytes<'a>, lines: u32 },
}

/// `body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP
/// body-fld-octets`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyFields<'a> {
    /// `body-fld-param`; empty for NIL.
    pub params: Vec<(Bytes<'a>, Bytes<'a>)>,
    pub id: NString<'a>,
    pub description: NString<'a>,
    pub encoding: Bytes<'a>,
    pub octets: u32,
}

/// `body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multipart<'a> {
    pub parts: Vec<Body<'a>>,
    pub subtype: Bytes<'a>,
    pub ext: Option<ExtMpart<'a>>,
}

/// `body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc
/// *(SP body-extension)]]]`; the nesting of optional parts is kept as in the grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ext1Part<'a> {
    pub md5: NString<'a>,
    pub tail: Option<ExtTail<'a>>,
}

/// `body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang ...]]]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtMpart<'a> {
    pub params: Vec<(Bytes<'a>, Bytes<'a>)>,
    pub tail: Option<ExtTail<'a>>,
}

/// `body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtTail<'a> {
    /// `None` for NIL.
    pub disposition: Option<Disposition<'a>>,
    pub language: Option<LangTail<'a>>,
}

/// `body-fld-dsp = "(" string SP body-fld-param ")" / nil`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition<'a> {
    pub kind: Bytes<'a>,
    pub params: Vec<(Bytes<'a>, Bytes<'a>)>,
}

/// `body-fld-lang [SP body-fld-loc *(SP body-extension)]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangTail<'a> {
    pub language: Language<'a>,
    pub location: Option<LocTail<'a>>,
}

/// `body-fld-lang = nstring / "(" string *(SP string) ")"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Language<'a> {
    Single(NString<'a>),
    List(Vec<Bytes<'a>>),
}

/// `body-fld-loc *(SP body-extension)`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocTail<'a> {
    pub location: NString<'a>,
    pub extensions: Vec<BodyExtension<'a>>,
}

/// `body-extension = nstring / number / "(" body-extension *(SP body-extension) ")"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyExtension<'a> {
    NString(NString<'a>),
    Number(u32),
    List(Vec<BodyExtension<'a>>),
}
