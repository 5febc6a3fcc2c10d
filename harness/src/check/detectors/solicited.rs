//! Responses that only a command produces (SEARCH, LIST, NAMESPACE, static FETCH data, ...)
//! must come while such a command is in progress: one that comes after the command's tagged
//! completion, or with no such command at all, cannot belong to it.
//!
//! Notifications (EXISTS, EXPUNGE, FETCH of FLAGS/UID/MODSEQ, FLAGS, status responses,
//! CAPABILITY) may come at any time and are not judged here. A command the parser did not
//! recognise may produce anything.

use super::{Ctx, Detector, Out};
use crate::check::requirements::ONE_TAGGED_COMPLETION;
use crate::model::{Digest, InFlight};
use crate::wire::command::CommandBody as C;
use crate::wire::response::{Data, Response};

const NAME: &str = "solicited";

pub struct Solicited;

impl Detector for Solicited {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, d: &Digest, out: &mut Out) {
        let Response::Data(data) = r else {
            return;
        };
        let Some(kind) = kind_of(data, d) else {
            return;
        };
        if kind == Kind::Status && cx.model.capabilities.has("NOTIFY") {
            return;
        }
        // RFC 5267 §4.3: a search context sends ESEARCH ADDTO/REMOVEFROM updates unsolicited.
        let caps = &cx.model.capabilities;
        if kind == Kind::Esearch && (caps.has("CONTEXT=SEARCH") || caps.has("CONTEXT=SORT")) {
            return;
        }
        let Some(view) = cx.view() else {
            return;
        };
        // A phantom (bytes of a malformed command run as a command of their own) may ask.
        if view.phantom_since.is_some() || view.in_flight.iter().any(|c| produces(c, kind)) {
            return;
        }
        out.push(
            cx.violation(NAME, ONE_TAGGED_COMPLETION)
                .expected(format!(
                    "{} only while a command that asks for it is in progress",
                    kind.name()
                ))
                .observed(format!("{} with none in progress", kind.name()))
                .because("data a command asks for belongs before that command's tagged completion"),
        );
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Search,
    Esearch,
    Sort,
    Thread,
    List,
    Lsub,
    Status,
    Namespace,
    Id,
    Enabled,
    FetchData,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Search => "* SEARCH",
            Kind::Esearch => "* ESEARCH",
            Kind::Sort => "* SORT",
            Kind::Thread => "* THREAD",
            Kind::List => "* LIST",
            Kind::Lsub => "* LSUB",
            Kind::Status => "* STATUS",
            Kind::Namespace => "* NAMESPACE",
            Kind::Id => "* ID",
            Kind::Enabled => "* ENABLED",
            Kind::FetchData => "FETCH of static data",
        }
    }
}

fn kind_of(data: &Data<'_>, d: &Digest) -> Option<Kind> {
    Some(match data {
        Data::Search { .. } => Kind::Search,
        Data::Esearch(_) => Kind::Esearch,
        Data::Sort { .. } => Kind::Sort,
        Data::Thread(_) => Kind::Thread,
        Data::List(_) => Kind::List,
        Data::Lsub(_) => Kind::Lsub,
        Data::MailboxStatus { .. } => Kind::Status,
        Data::Namespace(_) => Kind::Namespace,
        Data::Id(_) => Kind::Id,
        Data::Enabled(_) => Kind::Enabled,
        Data::Fetch { .. } if d.fetch.as_ref().is_some_and(|f| f.solicited_only) => Kind::FetchData,
        _ => return None,
    })
}

/// Whether the command in flight may produce a response of this kind.
fn produces(c: &InFlight, kind: Kind) -> bool {
    let Some(body) = c.body() else {
        return true;
    };
    match kind {
        Kind::Search => matches!(body, C::Search(_)),
        Kind::Esearch => matches!(body, C::Search(_) | C::Sort(_)),
        Kind::Sort => matches!(body, C::Sort(_)),
        Kind::Thread => matches!(body, C::Thread(_)),
        // IMAP4rev2 SELECT/EXAMINE return the mailbox's LIST (RFC 9051 §6.3.2).
        Kind::List => matches!(body, C::List(_) | C::Select(_) | C::Examine(_)),
        Kind::Lsub => matches!(body, C::Lsub { .. } | C::List(_)),
        Kind::Status => matches!(body, C::Status { .. } | C::List(_)),
        Kind::Namespace => matches!(body, C::Namespace),
        Kind::Id => matches!(body, C::Id(_)),
        Kind::Enabled => matches!(body, C::Enable(_)),
        Kind::FetchData => matches!(body, C::Fetch(_)),
    }
}
